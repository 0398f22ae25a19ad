import { type LabelCertificate, labelContent } from '@liangzheng/domain/certificate/label-content';
import { renderEscposLabel } from './label-escpos.ts';
import { labelFont } from './label-font.ts';
import { renderHtmlLabel } from './label-html.ts';
import { renderPdfLabel } from './label-pdf.ts';
import type { LabelFormat, LabelSize } from './label-size.ts';
import { renderTsplLabel } from './label-tspl.ts';
import { qrSvg } from './qr.ts';

export interface LabelSettings {
  /** the market's IANA time zone: 开具日期 is its calendar day */
  timeZone: string;
  /** LIANGZHENG_CJK_FONT: a font file instead of the bundled Noto Sans SC */
  cjkFont: string | undefined;
}

export interface LabelRequest {
  format: LabelFormat;
  size: LabelSize;
  /** how many labels: the printer formats' print count, the PDF's and the HTML's pages */
  copies: number;
}

export type RenderedLabel =
  | { ok: true; contentType: string; extension: string; body: Buffer }
  | { ok: false; code: 'LABEL_OVERFLOW'; message: string };

const printerBytes = 'application/octet-stream';

/** A certificate's label in one of the four formats; all of them print the same content (label-content.ts). */
export async function renderLabel(
  cert: LabelCertificate,
  request: LabelRequest,
  settings: LabelSettings,
): Promise<RenderedLabel> {
  const content = labelContent(cert, settings.timeZone);
  switch (request.format) {
    case 'pdf': {
      const pdf = await renderPdfLabel(content, request.size, labelFont(settings.cjkFont), request.copies);
      return pdf.ok ? { ok: true, contentType: 'application/pdf', extension: 'pdf', body: pdf.pdf } : pdf;
    }
    case 'html': {
      const html = renderHtmlLabel(content, request.size, await qrSvg(content.code), request.copies);
      return {
        ok: true,
        contentType: 'text/html; charset=utf-8',
        extension: 'html',
        body: Buffer.from(html),
      };
    }
    case 'tspl': {
      const tspl = renderTsplLabel(content, request.size, request.copies);
      return tspl.ok ? { ok: true, contentType: printerBytes, extension: 'tspl', body: tspl.bytes } : tspl;
    }
    case 'escpos': {
      const bytes = renderEscposLabel(content, request.size, request.copies);
      return { ok: true, contentType: printerBytes, extension: 'escpos', body: bytes };
    }
  }
}
