import { existsSync } from 'node:fs';
import type { Certificate } from '@liangzheng/domain';
import PDFDocument from 'pdfkit';
import { qrPng } from './qr.ts';

/** WenQuanYi Zen Hei from Debian's fonts-wqy-zenhei: small, and pdfkit subsets glyphs from its .ttc. */
export const CJK_FONT = process.env.LIANGZHENG_CJK_FONT ?? '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';
const CJK_FAMILY = 'WenQuanYiZenHei';

export const labelSizes = ['60x40', '60x80'] as const;
export type LabelSize = (typeof labelSizes)[number];

const MM = 72 / 25.4;

const basisText: Record<Certificate['basis'], string> = {
  quality_control: '质量安全控制符合要求',
  self_tested: '自行检测合格',
  commissioned_test: '委托检测合格',
};

export const COMMITMENT_2026 =
  '我承诺对生产销售的食用农产品：不使用禁用的农药兽药及其他化合物；使用的常规农药兽药残留不超标；对承诺的真实性负责。';

export type LabelResult = { ok: true; pdf: Buffer } | { ok: false; code: 'FONT_MISSING'; message: string };

/** A thermal-printer label: "承诺达标合格证" large across the top, the QR, and the template fields. */
export async function renderLabel(cert: Certificate, size: LabelSize): Promise<LabelResult> {
  if (!existsSync(CJK_FONT)) {
    return {
      ok: false,
      code: 'FONT_MISSING',
      message: `CJK font not found at ${CJK_FONT} (apt install fonts-wqy-zenhei)`,
    };
  }
  const [w, h] = size === '60x40' ? [60, 40] : [60, 80];
  const doc = new PDFDocument({
    size: [w * MM, h * MM],
    margin: 2 * MM,
    info: { Title: `承诺达标合格证 ${cert.id}`, Subject: cert.productName, Creator: 'Liangzheng 亮证' },
  });
  doc.registerFont(CJK_FAMILY, CJK_FONT, 'WenQuanYiZenHei');
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const pad = 2 * MM;
  const width = w * MM - 2 * pad;
  doc
    .font(CJK_FAMILY)
    .fontSize(size === '60x40' ? 11 : 14)
    .text('承诺达标合格证', pad, pad, { width, align: 'center' });
  const top = doc.y + 1 * MM;
  const qrSide = size === '60x40' ? 22 * MM : 32 * MM;
  const png = await qrPng(cert.code, 360);
  const qrX = size === '60x40' ? pad : (w * MM - qrSide) / 2;
  doc.image(png, qrX, top, { width: qrSide, height: qrSide });

  const lines = [
    `产品名称：${cert.productName}`,
    `数量：${cert.quantity} ${cert.unit}`,
    `产地：${cert.originText || cert.originRegion}`,
    `承诺主体：${cert.issuerName}`,
    `联系方式：${cert.contact}`,
    `开具日期：${cert.issuedAt.slice(0, 10)}`,
    `承诺依据：${basisText[cert.basis]}`,
  ];
  if (size === '60x40') {
    doc
      .fontSize(5.2)
      .text(lines.join('\n'), pad + qrSide + 1.5 * MM, top, { width: width - qrSide - 1.5 * MM });
  } else {
    doc.fontSize(7).text(lines.join('\n'), pad, top + qrSide + 2 * MM, { width });
    doc.moveDown(0.4).fontSize(5.5).text(COMMITMENT_2026, { width });
  }
  doc.end();
  return { ok: true, pdf: await done };
}
