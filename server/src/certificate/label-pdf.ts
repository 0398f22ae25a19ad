import { type LabelContent, sourcesLine } from '@liangzheng/domain/certificate/label-content';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { FontWeight, LabelFont } from './label-font.ts';
import type { LabelSize } from './label-size.ts';

const MM = 72 / 25.4;

/** Sizes in points, as laid out at full scale; a label whose text does not fit is set again smaller. */
interface Geometry {
  width: number;
  height: number;
  pad: number;
  qrSide: number;
  /** 60×40: the QR left and the fields beside it; 60×80: the QR centred above them */
  qrBeside: boolean;
  title: number;
  field: number;
  small: number;
  /** lines the 样式二 source list may take before it becomes a count */
  sourceLines: number;
}

const geometries: Record<LabelSize, Geometry> = {
  '60x40': {
    width: 60 * MM,
    height: 40 * MM,
    pad: 2 * MM,
    qrSide: 19 * MM,
    qrBeside: true,
    title: 9,
    field: 4.8,
    small: 4.3,
    sourceLines: 2,
  },
  '60x80': {
    width: 60 * MM,
    height: 80 * MM,
    pad: 3 * MM,
    qrSide: 30 * MM,
    qrBeside: false,
    title: 13,
    field: 6.8,
    small: 5.4,
    sourceLines: 4,
  },
};

const LINE = 1.3;
/** Below this the text is no longer legible at 203 dpi: refuse rather than print dust. */
const SMALLEST_SCALE = 0.7;

type Op =
  | { kind: 'text'; text: string; x: number; y: number; size: number; weight: FontWeight }
  | { kind: 'qr'; x: number; y: number; side: number };

/** Sets text in the label font on one pdfkit document: runs per font slice, each face registered once. */
class Pen {
  private readonly registered = new Set<string>();
  private readonly widths = new Map<string, number>();

  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly font: LabelFont,
  ) {}

  private runs(text: string, weight: FontWeight) {
    return this.font.runs(text, weight).map((run) => {
      if (!this.registered.has(run.face.name)) {
        this.doc.registerFont(run.face.name, run.face.source as string, run.face.family);
        this.registered.add(run.face.name);
      }
      return run;
    });
  }

  width(text: string, size: number, weight: FontWeight): number {
    const key = `${weight}:${size}:${text}`;
    let width = this.widths.get(key);
    if (width === undefined) {
      width = 0;
      for (const run of this.runs(text, weight))
        width += this.doc.font(run.face.name).fontSize(size).widthOfString(run.text);
      this.widths.set(key, width);
    }
    return width;
  }

  /** Greedy lines: breaks between Chinese characters and between words, never inside a short word. */
  wrap(text: string, width: number, size: number, weight: FontWeight = 400): string[] {
    const tokens = text.match(/[\x21-\x7e]+|./gu) ?? [];
    const lines: string[] = [];
    let line = '';
    const push = (token: string) => {
      if (line && this.width(line + token, size, weight) > width) {
        lines.push(line.trimEnd());
        line = token.trimStart();
      } else line += token;
    };
    for (const token of tokens) {
      if (this.width(token, size, weight) <= width) push(token);
      else for (const char of token) push(char);
    }
    if (line.trim()) lines.push(line.trimEnd());
    return lines;
  }

  draw(op: Extract<Op, { kind: 'text' }>): void {
    let x = op.x;
    for (const run of this.runs(op.text, op.weight)) {
      this.doc.font(run.face.name).fontSize(op.size).text(run.text, x, op.y, { lineBreak: false });
      x += this.doc.widthOfString(run.text);
    }
  }
}

/** Where everything goes at one scale, and how far down it reaches. */
function compose(pen: Pen, content: LabelContent, g: Geometry, scale: number): { ops: Op[]; bottom: number } {
  const ops: Op[] = [];
  const title = g.title * scale;
  const field = g.field * scale;
  const small = g.small * scale;
  const inner = g.width - 2 * g.pad;
  const gap = 1.2 * MM * scale;
  const lines = (texts: string[], x: number, y: number, size: number): number => {
    texts.forEach((text, i) => {
      ops.push({ kind: 'text', text, x, y: y + i * size * LINE, size, weight: 400 });
    });
    return y + texts.length * size * LINE;
  };

  const titleWidth = pen.width(content.title, title, 700);
  ops.push({
    kind: 'text',
    text: content.title,
    x: (g.width - titleWidth) / 2,
    y: g.pad,
    size: title,
    weight: 700,
  });
  const tagWidth = pen.width(content.templateName, small, 400);
  const tagY = g.pad + (title - small) * 0.6;
  ops.push({
    kind: 'text',
    text: content.templateName,
    x: g.width - g.pad - tagWidth,
    y: tagY,
    size: small,
    weight: 400,
  });
  const top = g.pad + title * LINE + gap / 2;

  const side = g.qrSide * scale;
  const qrX = g.qrBeside ? g.pad : (g.width - side) / 2;
  ops.push({ kind: 'qr', x: qrX, y: top, side });
  const idText = `编号 ${content.id}`;
  const idWidth = pen.width(idText, small, 400);
  const idY = top + side;
  ops.push({ kind: 'text', text: idText, x: qrX + (side - idWidth) / 2, y: idY, size: small, weight: 400 });
  const underQr = idY + small * LINE;

  const fieldText = content.fields.map((f) => `${f.label}：${f.value}`);
  let y: number;
  if (g.qrBeside) {
    const x = g.pad + side + gap;
    const column = fieldText.flatMap((text) => pen.wrap(text, g.width - g.pad - x, field));
    y = Math.max(lines(column, x, top, field), underQr);
  } else {
    y = lines(
      fieldText.flatMap((text) => pen.wrap(text, inner, field)),
      g.pad,
      underQr + gap / 2,
      field,
    );
  }
  y += gap / 2;

  if (content.template === 'buyer') {
    const sources = sourcesLine(
      content.sourceIds,
      (text) => pen.wrap(text, inner, small).length <= g.sourceLines,
    );
    y = lines(pen.wrap(sources, inner, small), g.pad, y, small) + gap / 2;
  }
  y = lines(pen.wrap(content.commitment, inner, small), g.pad, y, small);
  return { ops, bottom: y };
}

/** The QR as filled rectangles, one per run of dark modules in a row: vector, so sharp at any printer's dpi. */
function drawQr(doc: PDFKit.PDFDocument, code: string, x: number, y: number, side: number): void {
  const { modules } = QRCode.create(code, { errorCorrectionLevel: 'M' });
  const quiet = 2;
  const cell = side / (modules.size + 2 * quiet);
  for (let row = 0; row < modules.size; row++) {
    let start = -1;
    for (let col = 0; col <= modules.size; col++) {
      const dark = col < modules.size && modules.get(row, col);
      if (dark && start < 0) start = col;
      if (!dark && start >= 0) {
        doc.rect(x + (quiet + start) * cell, y + (quiet + row) * cell, (col - start) * cell, cell);
        start = -1;
      }
    }
  }
  doc.fillColor('black').fill();
}

export type PdfLabel = { ok: true; pdf: Buffer } | { ok: false; code: 'LABEL_OVERFLOW'; message: string };

/**
 * A thermal-printer label as PDF: vector text in the label font, a vector QR, nothing rasterised; `copies` pages
 * of it, so one print from the stall screen gives as many labels as it has packs.
 */
export async function renderPdfLabel(
  content: LabelContent,
  size: LabelSize,
  font: LabelFont,
  copies = 1,
): Promise<PdfLabel> {
  const g = geometries[size];
  const doc = new PDFDocument({
    size: [g.width, g.height],
    margin: 0,
    autoFirstPage: true,
    info: { Title: `${content.title} ${content.id}`, Creator: 'Liangzheng 亮证' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const pen = new Pen(doc, font);

  let scale = 1;
  let layout = compose(pen, content, g, scale);
  while (layout.bottom > g.height - g.pad / 2 && scale > SMALLEST_SCALE) {
    scale *= 0.92;
    layout = compose(pen, content, g, scale);
  }
  if (layout.bottom > g.height - g.pad / 2) {
    doc.end();
    await done;
    return {
      ok: false,
      code: 'LABEL_OVERFLOW',
      message: `标签内容超出 ${size} 毫米，请改用更大的标签 (the text does not fit a ${size} mm label)`,
    };
  }
  for (let copy = 0; copy < copies; copy++) {
    if (copy > 0) doc.addPage({ size: [g.width, g.height], margin: 0 });
    for (const op of layout.ops) {
      if (op.kind === 'qr') drawQr(doc, content.code, op.x, op.y, op.side);
      else pen.draw(op);
    }
  }
  doc.end();
  return { ok: true, pdf: await done };
}
