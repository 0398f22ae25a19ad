import type { InventoryItemView, PublicRapidTest } from '@liangzheng/domain';
import { formatLocalDate, localDateTime } from '@liangzheng/domain/time/local-date';
import { unitNames } from '@liangzheng/domain/unit/unit';
import { escapeHtml } from '../verify/verify-page.ts';
import type { Board, BoardArrival } from './board-service.ts';

/** The screen at the entrance reloads itself: a meta refresh, since the page runs no script. */
export const boardRefreshSeconds = 60;

const unitWords: Record<string, string> = unitNames;
const unit = (u: string) => escapeHtml(unitWords[u] ?? u);

// The gate's colours: accept green, review amber, reject red, pending blue.
const style = `body{margin:0;font-family:system-ui,"PingFang SC","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;
background:#f4f4f4;color:#222}main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;text-align:center;letter-spacing:.1em;margin:.5rem 0}h1 small{display:block;font-size:1rem;color:#555;letter-spacing:0}
h2{font-size:1.2rem;margin:1.5rem 0 .5rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem}
.tile{border-radius:.75rem;padding:.75rem;text-align:center;color:#fff;background:#5b6770}.tile b{display:block;font-size:2.2rem}
.accept{background:#17803a;color:#fff}.review{background:#e0a000;color:#1d1d1d}.reject{background:#c62828;color:#fff}.pending{background:#1d4fa8;color:#fff}
table{width:100%;border-collapse:collapse;background:#fff;border-radius:.5rem}
th,td{padding:.5rem;border-bottom:1px solid #eee;text-align:left;font-size:1rem;vertical-align:top}th{color:#555;font-weight:400}
.tag{display:inline-block;border-radius:.3rem;padding:0 .4rem;font-size:.9rem}
.stalls{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:.75rem}
.stall{background:#fff;border-radius:.5rem;padding:.75rem}.stall h3{margin:0 0 .5rem;font-size:1.1rem}
.stall ul{margin:0;padding:0;list-style:none}.stall li{padding:.35rem 0;border-top:1px solid #eee}
.held{color:#c62828;font-weight:700}.none{color:#777}
footer{color:#888;font-size:.8rem;text-align:center;margin-top:2rem}
@media (max-width:40rem){th.wide,td.wide{display:none}}`;

const outcomeWords = { accept: '准入', review: '待复核', reject: '拒收' } as const;

function time(at: Date | string, timeZone: string): string {
  const d = localDateTime(at, timeZone);
  return `${String(d.hour).padStart(2, '0')}:${String(d.minute).padStart(2, '0')}`;
}

function outcomeTag(outcome: BoardArrival['outcome']): string {
  return outcome
    ? `<span class="tag ${outcome}">${outcomeWords[outcome]}</span>`
    : '<span class="tag pending">查验中</span>';
}

function tiles(board: Board): string {
  const a = board.arrivals;
  const tile = (label: string, value: number, kind = '') =>
    `<div class="tile${kind ? ` ${kind}` : ''}"><b>${value}</b>${label}</div>`;
  return `<div class="tiles">${tile('今日到货批次', a.total)}${tile('已查验', a.inspected)}${tile(
    '准入',
    a.accept,
    'accept',
  )}${tile('待复核', a.review, 'review')}${tile('拒收', a.reject, 'reject')}</div>`;
}

function arrivalsTable(board: Board, timeZone: string): string {
  if (board.latestArrivals.length === 0) return '<p class="none">今日暂无到货。</p>';
  const rows = board.latestArrivals
    .map(
      (a) =>
        `<tr><td>${time(a.openedAt, timeZone)}</td><td>${escapeHtml(a.productName)}</td><td class="wide">${escapeHtml(
          String(a.quantity),
        )} ${unit(a.unit)}</td><td>${escapeHtml(a.stallNumber ?? '—')}</td><td>${
          a.inspected ? '已查验' : '未查验'
        }</td><td>${outcomeTag(a.outcome)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>时间</th><th>产品</th><th class="wide">数量</th><th>摊位</th><th>查验</th><th>结果</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function itemLine(item: InventoryItemView): string {
  const state = item.held
    ? `<span class="held">暂停销售${item.heldReason ? `（${escapeHtml(item.heldReason)}）` : ''}</span>`
    : `余 ${escapeHtml(String(Math.round(item.left * 100) / 100))} ${unit(item.unit)}`;
  const kind = item.certificateKind === 'repack' ? '分装合格证' : '承诺达标合格证';
  return `<li>${escapeHtml(item.productName)} · ${escapeHtml(item.issuerName)}${
    item.originText ? ` · ${escapeHtml(item.originText)}` : ''
  }<br>${kind} ${escapeHtml(item.certificateId)} · ${state}</li>`;
}

function stallCards(board: Board): string {
  if (board.stalls.length === 0) return '<p class="none">暂无在营摊位。</p>';
  return `<div class="stalls">${board.stalls
    .map(
      (s) =>
        `<section class="stall"><h3>${escapeHtml(s.number)} 号摊位 · ${escapeHtml(s.vendorName)}</h3>${
          s.items.length
            ? `<ul>${s.items.map(itemLine).join('')}</ul>`
            : '<p class="none">暂无在售带证商品。</p>'
        }</section>`,
    )
    .join('')}</div>`;
}

function resultTag(result: 'negative' | 'positive' | null): string {
  if (result === null) return '—';
  return result === 'positive'
    ? '<span class="tag reject">阳性</span>'
    : '<span class="tag accept">阴性</span>';
}

function rapidTestTable(tests: readonly PublicRapidTest[], timeZone: string): string {
  if (tests.length === 0) return '<p class="none">近 30 天暂无快检记录。</p>';
  const rows = tests
    .map(
      (r) =>
        `<tr><td>${formatLocalDate(r.testedAt, timeZone)} ${time(r.testedAt, timeZone)}</td><td>${escapeHtml(
          r.productName,
        )}</td><td>${escapeHtml(r.stallNumber ?? '—')}</td><td class="wide">${escapeHtml(r.methodName)} · ${escapeHtml(
          r.analyte,
        )}</td><td>${resultTag(r.result)}</td><td>${resultTag(r.retestResult)}</td><td>${escapeHtml(
          r.decisionName ?? '—',
        )}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>检测时间</th><th>产品</th><th>摊位</th><th class="wide">方法 · 项目</th><th>结果</th><th>复检</th><th>处置</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/**
 * The market's public 亮证 board (亮证公示): today's arrivals and their inspection, the stalls with the certificates
 * their goods are sold under, and the rapid-test results. Server-rendered with no script, for a screen at the
 * entrance (reloading itself each minute) and for phones.
 */
export function renderBoard(board: Board, timeZone: string, now: Date): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="${boardRefreshSeconds}">
<title>${escapeHtml(board.marketName)} · 亮证公示</title><style>${style}</style></head><body><main>
<h1>${escapeHtml(board.marketName)} 亮证公示<small>${formatLocalDate(now, timeZone)} · 更新于 ${time(now, timeZone)}</small></h1>
<h2>今日入场查验</h2>${tiles(board)}
<h2>最近到货</h2>${arrivalsTable(board, timeZone)}
<h2>摊位亮证</h2>${stallCards(board)}
<h2>快检结果公示</h2>${rapidTestTable(board.rapidTests, timeZone)}
<footer>亮证 · 农产品承诺达标合格证查验 · 食品安全投诉举报 12315</footer></main></body></html>`;
}
