import {
  type CertificateState,
  explainReason,
  type ReasonCode,
  type Verification,
  type VerificationResult,
} from '@liangzheng/domain';
import { CURRENT_COMMITMENT_VERSION, commitmentText } from '@liangzheng/domain/certificate/commitment';
import { basisNames } from '@liangzheng/domain/certificate/label-content';
import { gradeMeaning } from '@liangzheng/domain/credit/credit-grade';
import { originName } from '@liangzheng/domain/subject/origin-name';
import { formatLocalDate, localDateTime } from '@liangzheng/domain/time/local-date';
import { unitNames } from '@liangzheng/domain/unit/unit';
import type { LookupCount } from './lookup-counter.ts';

const categoryWords: Record<string, string> = {
  vegetable: '蔬菜',
  fruit: '水果',
  tea: '茶叶',
  livestock_poultry: '畜禽',
  egg: '禽蛋',
  aquatic: '水产品',
};
const unitWords: Record<string, string> = unitNames;
const basisWords: Record<string, string> = basisNames;

/** Everything interpolated into the page goes through here: the code in the URL is attacker-chosen text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const word = (table: Record<string, string>, key: string) => escapeHtml(table[key] ?? key);

function row(label: string, value: string): string {
  return `<tr><th>${escapeHtml(label)}</th><td>${value}</td></tr>`;
}

const style = `body{margin:0;font-family:system-ui,"PingFang SC","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;
background:#f4f4f4;color:#222}main{max-width:32rem;margin:0 auto;padding:1rem}
.verdict{border-radius:.75rem;padding:1.25rem;text-align:center;color:#fff;font-size:2rem;font-weight:700}
.ok{background:#1b7f3b}.used{background:#5d6d7e}.bad{background:#c62828}.verdict small{display:block;font-size:1rem;font-weight:400;margin-top:.5rem}
h1{font-size:1.1rem;text-align:center;letter-spacing:.2em}table{width:100%;border-collapse:collapse;background:#fff;
border-radius:.5rem;margin-top:1rem}th,td{padding:.6rem;border-bottom:1px solid #eee;text-align:left;font-size:1rem}
th{width:7em;color:#666;font-weight:400}.grade{font-weight:700;font-size:1.2rem}h2{font-size:1rem;margin-top:1.5rem}
footer{color:#888;font-size:.8rem;text-align:center;margin-top:2rem}
.notice{background:#fff3cd;border-radius:.5rem;padding:.75rem;margin-top:1rem}
.warning{background:#fdecea;border:2px solid #c62828;border-radius:.5rem;padding:.75rem;margin-top:1rem;font-size:1.05rem}
.lookups{text-align:center;color:#444;margin-top:1rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title>
<style>${style}</style></head><body><main><h1>承诺达标合格证</h1>${body}
<footer>亮证 · 农产品承诺达标合格证查验</footer></main></body></html>`;
}

const stateWords: Record<CertificateState, string> = { valid: '有效', used_up: '已用完', void: '已作废' };

/** The big coloured verdict: the state when the code checks out, else why not, as a category in words. */
function verdictOf(result: Verification): string {
  const c = result.certificate;
  if (result.valid && c.state === 'used_up') {
    return `<div class="verdict used">已用完<small>合格证真实有效，所证数量已全部使用</small></div>`;
  }
  if (result.valid) return `<div class="verdict ok">有效<small>合格证核验通过</small></div>`;
  if (c.recall) return `<div class="verdict bad">已召回<small>${escapeHtml(c.recall.reason)}</small></div>`;
  const word = c.state === 'void' ? stateWords.void : '无效';
  return `<div class="verdict bad">${word}<small>${escapeHtml(explainReason(result.reason ?? 'MALFORMED'))}</small></div>`;
}

const sourceKindWords = { paper: '纸质合格证', foreign_code: '其他平台的码' } as const;

/**
 * 含未经核验的来源: part of the goods came from sources nobody could verify (docs/custody.md). Says so plainly and
 * lists what the vendor declared, so a buyer knows which part rests on the vendor's word alone.
 */
function unverifiedNotice(certificate: Verification['certificate']): string {
  const flag = certificate.unverifiedSources;
  if (!flag) return '';
  const declared =
    flag.declared.length === 0
      ? '<p>其来源合格证含未经核验的来源。</p>'
      : `<table>${flag.declared
          .map((source) =>
            row(
              sourceKindWords[source.kind],
              `${escapeHtml(source.description)} · ${escapeHtml(String(source.quantity))} ${word(unitWords, source.unit)}${
                source.code ? `<br><small>${escapeHtml(source.code)}</small>` : ''
              }`,
            ),
          )
          .join('')}</table>`;
  return `<section class="notice unverified" role="note"><strong>含未经核验的来源</strong>
<p>部分货品来自经营者自行申报、未能核验的来源，以下为经营者申报的内容：</p>${declared}</section>`;
}

/** A deactivated issuer's past certificates still stand; the reader is told the issuer no longer trades. */
function issuerNotice(result: Verification): string {
  return result.issuer && !result.issuer.active
    ? '<p class="notice">该承诺主体已停用，不再开具新的合格证；停用前开具的合格证仍然有效。</p>'
    : '';
}

/** Reasons that mean the code claims to be ours but is not: altered, signed by no one we know, or garbled. */
const forgeryReasons: ReadonlySet<ReasonCode> = new Set([
  'BAD_SIGNATURE',
  'UNKNOWN_ISSUER',
  'KEY_NOT_VALID',
  'MALFORMED',
]);

/** The plain warning a forged or voided code gets, with the national complaint line. */
function complaintWarning(what: string): string {
  return `<p class="warning" role="alert"><strong>请注意：${escapeHtml(what)}</strong>请勿购买或食用，并保留包装与票据；
可拨打全国市场监管投诉举报电话 <a href="tel:12315">12315</a> 或登录 www.12315.cn 投诉举报。</p>`;
}

/** The grade, one sentence on what it means and when it was computed (docs/credit.md). */
function gradeLine(issuer: Verification['issuer'], timeZone: string): string {
  const grade = issuer?.creditGrade;
  if (!grade) return '<span class="grade">—</span>';
  const when = issuer.creditGradedAt
    ? `评定于 ${formatLocalDate(new Date(issuer.creditGradedAt), timeZone)}`
    : '登记时设定，尚未按信用规则评定';
  return `<span class="grade">${grade}</span> <small>${escapeHtml(gradeMeaning[grade])}（${when}）</small>`;
}

/** 该码已被查询 N 次: a code looked up far more often than goods were sold under it has probably been copied. */
function lookupLine(lookups: LookupCount, timeZone: string): string {
  const first = localDateTime(lookups.firstAt, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const when = `${formatLocalDate(lookups.firstAt, timeZone)} ${pad(first.hour)}:${pad(first.minute)}`;
  return `<p class="lookups">该码已被查询 <strong>${lookups.count}</strong> 次，首次查询于 ${escapeHtml(when)}</p>`;
}

/**
 * The public verification page: server-rendered, no script, readable on a phone at a stall. Dates are the
 * market's calendar days (`timeZone`). `lookups` is this certificate's lookup count, this lookup included.
 */
export function renderVerification(
  result: VerificationResult,
  timeZone: string,
  lookups: LookupCount | null = null,
): string {
  if (!result.certificate) {
    const reason = escapeHtml(explainReason(result.reason));
    const forged = forgeryReasons.has(result.reason);
    return page(
      '无法核验',
      `<div class="verdict bad">无法核验<small>${reason}</small></div>
${forged ? complaintWarning('该码无法通过核验，可能是伪造或篡改的合格证。') : ''}
<p>请确认扫描的是承诺达标合格证上的二维码；如有疑问，请联系市场管理人员。</p>`,
    );
  }
  const c = result.certificate;
  const rows = [
    row('产品名称', escapeHtml(c.productName)),
    row('品类', word(categoryWords, c.category)),
    row('数量或重量', `${escapeHtml(String(c.quantity))} ${word(unitWords, c.unit)}`),
    row('产地', escapeHtml(c.originText || originName(c.originRegion))),
    row('承诺主体', escapeHtml(result.issuer?.name ?? '')),
    row('联系方式', escapeHtml(c.contact)),
    row('开具日期', formatLocalDate(c.issuedAt, timeZone)),
    row('承诺依据', word(basisWords, c.basis)),
    // The wording of the template this kind is printed on (样式一/样式二); only one version exists so far.
    row('承诺内容', escapeHtml(commitmentText(c.kind, CURRENT_COMMITMENT_VERSION))),
    row('信用等级', gradeLine(result.issuer, timeZone)),
    row('合格证编号', escapeHtml(c.id)),
  ];
  const chain =
    result.chain.length === 0
      ? ''
      : `<h2>来源合格证（分装/混装）</h2><table>${result.chain
          .map((p) =>
            row(
              stateWords[p.state],
              `${escapeHtml(p.productName)} · ${escapeHtml(p.issuerName)} · ${escapeHtml(String(p.quantity))} ${word(unitWords, p.unit)}`,
            ),
          )
          .join('')}</table>`;
  return page(
    `${c.productName} · 承诺达标合格证`,
    `${verdictOf(result)}${c.state === 'void' ? complaintWarning('该合格证已作废，所证产品不得销售。') : ''}${issuerNotice(result)}${
      lookups ? lookupLine(lookups, timeZone) : ''
    }${unverifiedNotice(c)}<table>${rows.join('')}</table>${chain}`,
  );
}
