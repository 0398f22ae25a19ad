import { type LabelContent, sourcesLine } from '@liangzheng/domain/certificate/label-content';
import { escapeHtml } from '../verify/verify-page.ts';
import { type LabelSize, labelMillimetres } from './label-size.ts';

/** Characters the source list may take on each size before it becomes a count (two and four lines). */
const sourceRoom: Record<LabelSize, number> = { '60x40': 56, '60x80': 110 };

const css = (size: LabelSize) => {
  const { width, height } = labelMillimetres(size);
  const small = size === '60x40';
  return `@page{size:${width}mm ${height}mm;margin:0}
html,body{margin:0;padding:0;background:#fff;color:#000}
body{font-family:"Noto Sans SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif}
.label{box-sizing:border-box;width:${width}mm;height:${height}mm;padding:${small ? 2 : 3}mm;overflow:hidden;
page-break-after:always;break-after:page;display:flex;flex-direction:column;gap:${small ? 0.6 : 1}mm;
font-size:${small ? 4.8 : 6.8}pt;line-height:1.3}
header{display:flex;justify-content:center;position:relative}
h1{margin:0;font-size:${small ? 9 : 13}pt;font-weight:700;letter-spacing:.05em}
.template{position:absolute;right:0;top:0;font-size:${small ? 4.3 : 5.4}pt}
.body{display:flex;${small ? 'flex-direction:row;gap:1.2mm' : 'flex-direction:column;align-items:center;gap:1mm'}}
figure{margin:0;display:flex;flex-direction:column;align-items:center}
figure svg{width:${small ? 19 : 30}mm;height:${small ? 19 : 30}mm;display:block}
figcaption,.sources,.commitment{font-size:${small ? 4.3 : 5.4}pt}
dl{margin:0;align-self:stretch}dl div{display:flex}dt::after{content:"："}dd{margin:0}
p{margin:0}`;
};

/**
 * The label as HTML sized by `@page`, for printing from a browser onto label stock (pick the printer's label size
 * and 100% scale): one page per copy, so a producer prints a crate's worth of labels from one dialog. Text flows
 * in the browser's own CJK font; the QR is inline SVG.
 */
export function renderHtmlLabel(content: LabelContent, size: LabelSize, qrSvg: string, copies = 1): string {
  const fields = content.fields
    .map((f) => `<div><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd></div>`)
    .join('');
  const sources =
    content.template === 'buyer'
      ? `<p class="sources">${escapeHtml(sourcesLine(content.sourceIds, (t) => t.length <= sourceRoom[size]))}</p>`
      : '';
  const label = `<main class="label" data-template="${content.template}">
<header><h1>${escapeHtml(content.title)}</h1><span class="template">${escapeHtml(content.templateName)}</span></header>
<div class="body"><figure>${qrSvg}<figcaption>编号 ${escapeHtml(content.id)}</figcaption></figure><dl>${fields}</dl></div>
${sources}<p class="commitment">${escapeHtml(content.commitment)}</p>
</main>
`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>${escapeHtml(`${content.title} ${content.id}`)}</title><style>${css(size)}</style></head><body>
${label.repeat(copies)}</body></html>`;
}
