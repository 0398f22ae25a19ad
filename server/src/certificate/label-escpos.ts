import { type LabelContent, sourcesLine } from '@liangzheng/domain/certificate/label-content';
import { encodeGbk, wrapColumns } from './gbk.ts';
import type { LabelSize } from './label-size.ts';

/**
 * ESC/POS for the 58 mm receipt printers many stalls already own, with the certificate as a receipt. Written by
 * hand rather than with `escpos-buffer`: we need ten fixed commands (init, Chinese mode, align, size, the
 * GS ( k QR functions, feed, cut), the golden byte files pin them, and that package's profiles are for Brazilian
 * and Epson models whose Chinese support is a code-page switch (ESC t), where Chinese printers want FS & and GBK.
 * Font A in Chinese mode: 12×24 dots for ASCII, 24×24 for a character, 32 columns on 384 dots.
 */
const COLUMNS = 32;

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
const LF = 0x0a;

const init = Buffer.of(ESC, 0x40);
/** FS &: double-byte (GB 2312/GBK) character mode */
const chineseMode = Buffer.of(FS, 0x26);
const align = (where: 'left' | 'center') => Buffer.of(ESC, 0x61, where === 'left' ? 0 : 1);
/** GS ! n: character size; 0x11 is double width and double height */
const charSize = (n: number) => Buffer.of(GS, 0x21, n);
const line = (text: string) => Buffer.concat([encodeGbk(text), Buffer.of(LF)]);
/** ESC d n: print and feed n lines */
const feed = (lines: number) => Buffer.of(ESC, 0x64, lines);
/** GS V 66 n: feed n and cut (partial); printers without a cutter ignore it */
const cut = Buffer.of(GS, 0x56, 0x42, 0);

/** GS ( k, cn 49: the printer's own QR (model 2, level M): store the data, then print it. */
function qr(code: string, moduleDots: number): Buffer {
  // pL pH count the bytes after them: cn (49), fn and the parameters.
  const fn = (...bytes: number[]) => {
    const length = bytes.length + 1;
    return Buffer.of(GS, 0x28, 0x6b, length & 0xff, length >> 8, 0x31, ...bytes);
  };
  const data = Buffer.from(code, 'ascii');
  const store = data.length + 3;
  return Buffer.concat([
    fn(0x41, 0x32, 0x00), // fn 165: model 2
    fn(0x43, moduleDots), // fn 167: module size in dots
    fn(0x45, 0x31), // fn 169: error correction level M
    Buffer.of(GS, 0x28, 0x6b, store & 0xff, store >> 8, 0x31, 0x50, 0x30), // fn 180: store
    data,
    fn(0x51, 0x30), // fn 181: print
  ]);
}

/** The module size by label size: the 60×80 layout gives the QR more room, as on the PDF. */
const moduleDots: Record<LabelSize, number> = { '60x40': 4, '60x80': 6 };

function receipt(content: LabelContent, size: LabelSize): Buffer {
  const wrapped = (text: string) => wrapColumns(text, COLUMNS).map(line);
  const fits = (t: string) => wrapColumns(t, COLUMNS).length <= 3;
  return Buffer.concat([
    init,
    chineseMode,
    align('center'),
    charSize(0x11),
    line(content.title),
    charSize(0),
    line(content.templateName),
    qr(content.code, moduleDots[size]),
    line(`编号 ${content.id}`),
    align('left'),
    ...content.fields.flatMap((f) => wrapped(`${f.label}：${f.value}`)),
    ...(content.template === 'buyer' ? wrapped(sourcesLine(content.sourceIds, fits)) : []),
    ...wrapped(content.commitment),
    feed(3),
    cut,
  ]);
}

/** The certificate as ESC/POS bytes, `copies` receipts one after another (ESC/POS has no copy count). */
export function renderEscposLabel(content: LabelContent, size: LabelSize, copies: number): Buffer {
  const one = receipt(content, size);
  return Buffer.concat(Array.from({ length: copies }, () => one));
}
