import { type LabelContent, sourcesLine } from '@liangzheng/domain/certificate/label-content';
import QRCode from 'qrcode';
import { encodeGbk, printColumns, wrapColumns } from './gbk.ts';
import { type LabelSize, labelMillimetres } from './label-size.ts';

/**
 * TSPL/TSPL2, the label language of TSC printers and of the Gprinter, Xprinter, HPRT and iDPRT printers Chinese
 * stalls buy: plain text commands, CRLF-terminated, over USB or raw TCP 9100. Text is set in the printer's own
 * GB fonts (TSS24.BF2, 24×24 dots; TSS16.BF2, 16×16) and the QR with its own QRCODE command, so nothing is
 * rasterised and a label is about a kilobyte. 203 dpi printers: 8 dots per millimetre.
 */
const DOTS_PER_MM = 8;
const TITLE_FONT = 'TSS24.BF2';
/** id, sources and commitment are set in TSS16.BF2 on both sizes */
const SMALL_FONT = 'TSS16.BF2';
const SMALL_LINE = 18;

type GbFont = 'TSS16.BF2' | 'TSS24.BF2';

interface Grid {
  /** the fields' font, its cell in dots (ASCII is half as wide) and line pitch */
  font: GbFont;
  cell: number;
  line: number;
  qrCell: number;
  qrBeside: boolean;
  margin: number;
  /** lines the 样式二 source list may take before it becomes a count */
  sourceLines: number;
}

const small: Omit<Grid, 'qrCell' | 'qrBeside' | 'margin' | 'sourceLines'> = {
  font: 'TSS16.BF2',
  cell: 16,
  line: 18,
};

/** Layouts to try in order: 60×80 sets the fields in the larger font unless they would not fit. */
const grids: Record<LabelSize, Grid[]> = {
  '60x40': [{ ...small, qrCell: 3, qrBeside: true, margin: 12, sourceLines: 1 }],
  '60x80': [
    { font: 'TSS24.BF2', cell: 24, line: 27, qrCell: 4, qrBeside: false, margin: 20, sourceLines: 2 },
    { ...small, qrCell: 4, qrBeside: false, margin: 20, sourceLines: 2 },
  ],
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

/** The TEXT and QRCODE commands of one layout, or undefined when they run off the label. */
function place(content: LabelContent, size: LabelSize, g: Grid): Buffer[] | undefined {
  const { width, height } = labelMillimetres(size);
  const dotsWide = width * DOTS_PER_MM;
  const columnsOf = (dots: number, cell: number) => Math.floor(dots / (cell / 2));
  const body: Buffer[] = [];
  const text = (x: number, y: number, font: string, value: string) =>
    body.push(command(`TEXT ${x},${y},"${font}",0,1,1,`, value));
  const lines = (values: string[], x: number, y: number, font: GbFont, pitch: number) => {
    values.forEach((value, i) => {
      text(x, y + i * pitch, font, value);
    });
    return y + values.length * pitch;
  };

  text(
    Math.round((dotsWide - printColumns(content.title) * 12) / 2),
    g.margin - 4,
    TITLE_FONT,
    content.title,
  );
  text(
    dotsWide - g.margin - printColumns(content.templateName) * 8,
    g.margin,
    SMALL_FONT,
    content.templateName,
  );
  const top = g.margin + 32;

  const qrSide = QRCode.create(content.code, { errorCorrectionLevel: 'M' }).modules.size * g.qrCell;
  const qrX = g.qrBeside ? g.margin : Math.round((dotsWide - qrSide) / 2);
  body.push(command(`QRCODE ${qrX},${top},M,${g.qrCell},A,0,`, content.code));
  const idText = `编号 ${content.id}`;
  const idY = top + qrSide + 4;
  text(qrX + Math.max(0, Math.round((qrSide - printColumns(idText) * 8) / 2)), idY, SMALL_FONT, idText);
  const underQr = idY + SMALL_LINE;

  const inner = dotsWide - 2 * g.margin;
  const fieldText = content.fields.map((f) => `${f.label}：${f.value}`);
  let y: number;
  if (g.qrBeside) {
    const x = g.margin + qrSide + 12;
    const column = fieldText.flatMap((t) => wrapColumns(t, columnsOf(dotsWide - g.margin - x, g.cell)));
    y = Math.max(lines(column, x, top, g.font, g.line), underQr);
  } else {
    const rows = fieldText.flatMap((t) => wrapColumns(t, columnsOf(inner, g.cell)));
    y = lines(rows, g.margin, underQr + 6, g.font, g.line);
  }
  y += 4;
  const smallColumns = columnsOf(inner, 16);
  if (content.template === 'buyer') {
    const fits = (t: string) => wrapColumns(t, smallColumns).length <= g.sourceLines;
    const sources = wrapColumns(sourcesLine(content.sourceIds, fits), smallColumns);
    y = lines(sources, g.margin, y, SMALL_FONT, SMALL_LINE) + 4;
  }
  y = lines(wrapColumns(content.commitment, smallColumns), g.margin, y, SMALL_FONT, SMALL_LINE);
  return y > height * DOTS_PER_MM - 4 ? undefined : body;
}

/** One label as TSPL, printed `copies` times by the printer itself (PRINT 1,n). */
export function renderTsplLabel(content: LabelContent, size: LabelSize, copies: number): PrinterLabel {
  const { width, height } = labelMillimetres(size);
  for (const grid of grids[size]) {
    const body = place(content, size, grid);
    if (!body) continue;
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
  return {
    ok: false,
    code: 'LABEL_OVERFLOW',
    message: `标签内容超出 ${size} 毫米，请改用更大的标签 (the text does not fit a ${size} mm label)`,
  };
}
