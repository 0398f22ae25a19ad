import { type LabelContent, sourcesLine } from '@liangzheng/domain/certificate/label-content';
import QRCode from 'qrcode';
import { encodeGbk, printColumns, wrapColumns } from './gbk.ts';
import { type LabelSize, labelMillimetres } from './label-size.ts';

/**
 * TSPL/TSPL2, the label language of TSC printers and of the Gprinter, Xprinter, HPRT and iDPRT printers Chinese
 * stalls buy: plain text commands, CRLF-terminated, over USB or raw TCP 9100. Text is set in the printer's own
 * GB fonts (TSS24.BF2, 24×24 dots; TSS16.BF2, 16×16) and the QR with its own QRCODE command, so nothing is
 * rasterised and the bytes stay a few hundred. 203 dpi printers: 8 dots per millimetre.
 */
const DOTS_PER_MM = 8;
/** id, sources and commitment are set in TSS16.BF2 on both sizes */
const SMALL_LINE = 18;

interface Grid {
  /** body font and its cell height in dots (ASCII is half as wide) */
  font: 'TSS16.BF2' | 'TSS24.BF2';
  cell: number;
  line: number;
  titleFont: 'TSS24.BF2';
  qrCell: number;
  qrBeside: boolean;
  margin: number;
  sourceLines: number;
}

const grids: Record<LabelSize, Grid> = {
  '60x40': {
    font: 'TSS16.BF2',
    cell: 16,
    line: 18,
    titleFont: 'TSS24.BF2',
    qrCell: 3,
    qrBeside: true,
    margin: 12,
    sourceLines: 1,
  },
  '60x80': {
    font: 'TSS24.BF2',
    cell: 24,
    line: 27,
    titleFont: 'TSS24.BF2',
    qrCell: 4,
    qrBeside: false,
    margin: 20,
    sourceLines: 2,
  },
};

/** A string argument: TSPL has no backslash escapes, only \["] for a double quote inside the quotes. */
const quoted = (text: string) =>
  Buffer.concat([Buffer.from('"'), encodeGbk(text.replaceAll('"', '\\["]')), Buffer.from('"')]);

const command = (head: string, text?: string) =>
  Buffer.concat([
    Buffer.from(head),
    text === undefined ? Buffer.alloc(0) : quoted(text),
    Buffer.from('\r\n'),
  ]);

export type PrinterLabel =
  | { ok: true; bytes: Buffer }
  | { ok: false; code: 'LABEL_OVERFLOW'; message: string };

export const overflow = (size: LabelSize): PrinterLabel => ({
  ok: false,
  code: 'LABEL_OVERFLOW',
  message: `标签内容超出 ${size} 毫米，请改用 60x80 标签 (the text does not fit a ${size} mm label)`,
});

/** One label as TSPL, printed `copies` times by the printer itself (PRINT 1,n). */
export function renderTsplLabel(content: LabelContent, size: LabelSize, copies: number): PrinterLabel {
  const { width, height } = labelMillimetres(size);
  const g = grids[size];
  const dotsWide = width * DOTS_PER_MM;
  const dotsHigh = height * DOTS_PER_MM;
  const columnsOf = (dots: number, cell = g.cell) => Math.floor(dots / (cell / 2));
  const body: Buffer[] = [];
  const text = (x: number, y: number, font: string, value: string) =>
    body.push(command(`TEXT ${x},${y},"${font}",0,1,1,`, value));
  const lines = (values: string[], x: number, y: number, font = g.font, step = g.line) => {
    values.forEach((value, i) => {
      text(x, y + i * step, font, value);
    });
    return y + values.length * step;
  };
  const smallLines = (values: string[], y: number) => lines(values, g.margin, y, 'TSS16.BF2', SMALL_LINE);

  const titleWidth = printColumns(content.title) * 12;
  text(Math.round((dotsWide - titleWidth) / 2), g.margin - 4, g.titleFont, content.title);
  text(
    dotsWide - g.margin - printColumns(content.templateName) * 8,
    g.margin,
    'TSS16.BF2',
    content.templateName,
  );
  const top = g.margin + 24 + 8;

  const qrSide = QRCode.create(content.code, { errorCorrectionLevel: 'M' }).modules.size * g.qrCell;
  const qrX = g.qrBeside ? g.margin : Math.round((dotsWide - qrSide) / 2);
  body.push(command(`QRCODE ${qrX},${top},M,${g.qrCell},A,0,`, content.code));
  const idText = `编号 ${content.id}`;
  const idY = top + qrSide + 4;
  text(qrX + Math.max(0, Math.round((qrSide - printColumns(idText) * 8) / 2)), idY, 'TSS16.BF2', idText);
  const underQr = idY + SMALL_LINE;

  const inner = dotsWide - 2 * g.margin;
  const fieldText = content.fields.map((f) => `${f.label}：${f.value}`);
  let y: number;
  if (g.qrBeside) {
    const x = g.margin + qrSide + 12;
    y = Math.max(
      lines(
        fieldText.flatMap((t) => wrapColumns(t, columnsOf(dotsWide - g.margin - x))),
        x,
        top,
      ),
      underQr,
    );
  } else {
    y = lines(
      fieldText.flatMap((t) => wrapColumns(t, columnsOf(inner))),
      g.margin,
      underQr + 6,
    );
  }
  y += 4;
  const smallColumns = columnsOf(inner, 16);
  if (content.template === 'buyer') {
    const fits = (t: string) => wrapColumns(t, smallColumns).length <= g.sourceLines;
    y = smallLines(wrapColumns(sourcesLine(content.sourceIds, fits), smallColumns), y) + 4;
  }
  y = smallLines(wrapColumns(content.commitment, smallColumns), y);
  if (y > dotsHigh - 4) return overflow(size);

  return {
    ok: true,
    bytes: Buffer.concat([
      command(`SIZE ${width} mm,${height} mm`),
      command('GAP 2 mm,0 mm'),
      command('DIRECTION 1'),
      command('REFERENCE 0,0'),
      command('CLS'),
      ...body,
      command(`PRINT 1,${copies}`),
    ]),
  };
}
