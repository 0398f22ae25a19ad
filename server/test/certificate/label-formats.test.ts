import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { labelContent } from '@liangzheng/domain/certificate/label-content';
import { describe, expect, it } from 'vitest';
import { encodeGbk, wrapColumns } from '../../src/certificate/gbk.ts';
import { type LabelRequest, renderLabel } from '../../src/certificate/label.ts';
import { labelFont } from '../../src/certificate/label-font.ts';
import { producerCertificate, repackCertificate } from './label-certificates.ts';
import { pdfTitle } from './pdf-info.ts';

const settings = { timeZone: 'Asia/Shanghai', cjkFont: undefined };
const ARTICLE_2 = '未使用禁用农药、兽药及其他化合物且使用的常规农药、兽药残留不超标';
const gbk = new TextDecoder('gbk');

async function render(cert: typeof producerCertificate, request: LabelRequest): Promise<Buffer> {
  const out = await renderLabel(cert, request, settings);
  if (!out.ok) throw new Error(`${out.code}: ${out.message}`);
  return out.body;
}

/**
 * Printer output is compared byte for byte with files under fixtures/. After a deliberate change to a layout,
 * rewrite them with LZ_UPDATE_GOLDEN=1 and read the diff of the decoded text before committing.
 */
function expectGolden(bytes: Buffer, name: string): void {
  const file = new URL(`./fixtures/${name}`, import.meta.url);
  if (process.env.LZ_UPDATE_GOLDEN === '1') writeFileSync(file, bytes);
  const golden = readFileSync(file);
  // Compared as latin1 text first so a mismatch shows where it is, then exactly.
  expect(bytes.toString('latin1')).toBe(golden.toString('latin1'));
  expect(bytes.equals(golden)).toBe(true);
}

/** TSPL commands as text: one per CRLF line, GBK decoded. */
function tsplLines(bytes: Buffer): string[] {
  return gbk.decode(bytes).split('\r\n').slice(0, -1);
}

/** The printed strings of TEXT commands, top to bottom. */
function tsplTexts(bytes: Buffer): string[] {
  return tsplLines(bytes)
    .filter((l) => l.startsWith('TEXT '))
    .map((l) => /"((?:[^"\\]|\\\["\])*)"$/.exec(l)![1]!);
}

describe('TSPL for label printers', () => {
  it('matches the golden files for both templates and sizes', async () => {
    for (const [name, cert] of [
      ['producer', producerCertificate],
      ['buyer', repackCertificate],
    ] as const) {
      for (const size of ['60x40', '60x80'] as const) {
        expectGolden(await render(cert, { format: 'tspl', size, copies: 1 }), `${name}-${size}.tspl`);
      }
    }
  });

  it('sets up the stock, prints the QR with the printer’s own QRCODE command and asks for the copies', async () => {
    const lines = tsplLines(await render(producerCertificate, { format: 'tspl', size: '60x40', copies: 3 }));
    expect(lines.slice(0, 5)).toEqual([
      'SIZE 60 mm,40 mm',
      'GAP 2 mm,0 mm',
      'DIRECTION 1',
      'REFERENCE 0,0',
      'CLS',
    ]);
    expect(lines).toContain(`QRCODE 12,44,M,3,A,0,"${producerCertificate.code}"`);
    expect(lines.at(-1)).toBe('PRINT 1,3');
  });

  it('prints every field in Chinese, the id, the local date and the Art. 2 commitment in the GB font', async () => {
    const texts = tsplTexts(await render(producerCertificate, { format: 'tspl', size: '60x80', copies: 1 }));
    expect(texts).toEqual(
      expect.arrayContaining([
        '承诺达标合格证',
        '样式一',
        '编号 3f9a2c71d04b8e65',
        '产品名称：大白菜',
        '数量：500 千克',
        '产地：湖南省长沙市宁乡市',
        '开具日期：2026年3月15日',
        '承诺依据：自行检测合格',
      ]),
    );
    expect(texts.join('')).toContain(ARTICLE_2);
  });

  it('gives 样式二 the sources and its own commitment, counting them when the ids do not fit', async () => {
    const roomy = tsplTexts(
      await render(repackCertificate, { format: 'tspl', size: '60x80', copies: 1 }),
    ).join('');
    expect(roomy).toContain('来源合格证：3f9a2c71d04b8e65、8b1e4d2a7c905f36、e57a09c3b2d6184f');
    expect(roomy).toContain('已收取并保存所收购农产品的承诺达标合格证');
    const tight = tsplTexts(await render(repackCertificate, { format: 'tspl', size: '60x40', copies: 1 }));
    expect(tight).toContain('来源合格证 3 张，详见扫码追溯');
  });

  it('escapes a double quote in a product name the TSPL way', async () => {
    const quoted = { ...producerCertificate, productName: '"精品"菜心' };
    const texts = tsplTexts(await render(quoted, { format: 'tspl', size: '60x80', copies: 1 }));
    expect(texts).toContain('产品名称：\\["]精品\\["]菜心');
  });

  it('refuses with LABEL_OVERFLOW when the text cannot fit 60×40, and fits it on 60×80', async () => {
    const wordy = {
      ...repackCertificate,
      productName: '有机富硒高山生态种植精选特级大叶菠菜礼盒装'.repeat(2).slice(0, 40),
      issuerName: '长沙市芙蓉区马王堆蔬菜批发市场东区三排十二号张记农产品分装经营部',
    };
    const small = await renderLabel(wordy, { format: 'tspl', size: '60x40', copies: 1 }, settings);
    expect(small).toMatchObject({ ok: false, code: 'LABEL_OVERFLOW' });
    const large = await renderLabel(wordy, { format: 'tspl', size: '60x80', copies: 1 }, settings);
    expect(large.ok).toBe(true);
  });
});

/** Splits an ESC/POS stream at its GS ( k commands: [fn, data] pairs. */
function qrFunctions(bytes: Buffer): { fn: number; data: Buffer }[] {
  const found: { fn: number; data: Buffer }[] = [];
  for (let i = 0; i + 6 < bytes.length; i++) {
    if (bytes[i] === 0x1d && bytes[i + 1] === 0x28 && bytes[i + 2] === 0x6b) {
      const length = bytes[i + 3]! | (bytes[i + 4]! << 8);
      expect(bytes[i + 5]).toBe(0x31); // cn 49: QR code
      found.push({ fn: bytes[i + 6]!, data: bytes.subarray(i + 7, i + 5 + length) });
      i += 4 + length;
    }
  }
  return found;
}

describe('ESC/POS for receipt printers', () => {
  it('matches the golden files for both templates and sizes', async () => {
    for (const [name, cert] of [
      ['producer', producerCertificate],
      ['buyer', repackCertificate],
    ] as const) {
      for (const size of ['60x40', '60x80'] as const) {
        expectGolden(await render(cert, { format: 'escpos', size, copies: 1 }), `${name}-${size}.escpos`);
      }
    }
  });

  it('stores and prints the code with GS ( k (model 2, level M), its length in pL pH', async () => {
    const bytes = await render(producerCertificate, { format: 'escpos', size: '60x40', copies: 1 });
    const fns = qrFunctions(bytes);
    expect(fns.map((f) => f.fn)).toEqual([0x41, 0x43, 0x45, 0x50, 0x51]);
    expect([...fns[0]!.data]).toEqual([0x32, 0x00]);
    expect([...fns[1]!.data]).toEqual([4]);
    expect([...fns[2]!.data]).toEqual([0x31]);
    expect(fns[3]!.data.subarray(1).toString('ascii')).toBe(producerCertificate.code);
  });

  it('starts in Chinese mode and prints the fields as GBK, once per copy', async () => {
    const one = await render(producerCertificate, { format: 'escpos', size: '60x40', copies: 1 });
    expect([...one.subarray(0, 4)]).toEqual([0x1b, 0x40, 0x1c, 0x26]);
    for (const text of ['产地：湖南省长沙市宁乡市', '开具日期：2026年3月15日', '编号 3f9a2c71d04b8e65']) {
      expect(one.includes(encodeGbk(text))).toBe(true);
    }
    const three = await render(producerCertificate, { format: 'escpos', size: '60x40', copies: 3 });
    expect(three.equals(Buffer.concat([one, one, one]))).toBe(true);
  });
});

describe('GBK for printer fonts', () => {
  it('encodes Chinese as double bytes that decode back, and what GBK lacks as ?', () => {
    const text = '承诺达标合格证 蕹菜 藠头 500 千克';
    expect(gbk.decode(encodeGbk(text))).toBe(text);
    expect(encodeGbk('😀').toString()).toBe('?');
  });

  it('wraps by printer columns, a Chinese character being two', () => {
    expect(wrapColumns('承诺主体：宁乡市绿源蔬菜种植专业合作社', 20)).toEqual([
      '承诺主体：宁乡市绿源',
      '蔬菜种植专业合作社',
    ]);
    expect(wrapColumns('联系方式：0731-87654321', 20)).toEqual(['联系方式：', '0731-87654321']);
  });
});

/** fontkit, as pdfkit (which embeds it) loads it: to ask a face whether it has a glyph. */
const fontkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'))('fontkit') as {
  create(buffer: Buffer): { hasGlyphForCodePoint(codePoint: number): boolean };
};

describe('PDF label', () => {
  it('renders both templates and sizes from the bundled font alone: one page of the stock’s size, titled', async () => {
    for (const cert of [producerCertificate, repackCertificate]) {
      for (const [size, heightMm] of [
        ['60x40', 40],
        ['60x80', 80],
      ] as const) {
        const pdf = await render(cert, { format: 'pdf', size, copies: 1 });
        const text = pdf.toString('latin1');
        expect(text.startsWith('%PDF-')).toBe(true);
        expect(pdfTitle(pdf)).toBe(`承诺达标合格证 ${cert.id}`);
        expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1);
        const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text)!;
        expect(Number(box[1])).toBeCloseTo((60 * 72) / 25.4, 1);
        expect(Number(box[2])).toBeCloseTo((heightMm * 72) / 25.4, 1);
      }
    }
  });

  it('stays small: only the glyphs used are embedded, the QR is vector, nothing is an image', async () => {
    const pdf = await render(repackCertificate, { format: 'pdf', size: '60x80', copies: 1 });
    const text = pdf.toString('latin1');
    expect(pdf.length).toBeLessThan(80_000);
    expect(text).not.toContain('/Subtype /Image');
    const fonts = [...text.matchAll(/\/FontName \/([A-Z]{6})\+NotoSansSC/g)];
    expect(fonts.length).toBeGreaterThan(0);
  });

  it('has a glyph for every character it sets, produce names outside GB 2312 included', () => {
    const content = labelContent({ ...repackCertificate, productName: '蕹菜藠头薹菜' }, 'Asia/Shanghai');
    const everything = [
      content.title,
      content.templateName,
      ...content.fields.map((f) => `${f.label}：${f.value}`),
      content.commitment,
      `编号 ${content.id}`,
      '来源合格证 3 张，详见扫码追溯',
    ].join('');
    const faces = new Map<string, ReturnType<typeof fontkit.create>>();
    for (const weight of [400, 700] as const) {
      for (const run of labelFont(undefined).runs(everything, weight)) {
        let face = faces.get(run.face.name);
        if (!face) {
          face = fontkit.create(run.face.source as Buffer);
          faces.set(run.face.name, face);
        }
        for (const char of run.text) {
          if (char === ' ') continue;
          expect(face.hasGlyphForCodePoint(char.codePointAt(0)!), `${char} in ${run.face.name}`).toBe(true);
        }
      }
    }
  });

  it('sets everything in the LIANGZHENG_CJK_FONT file when one is configured', async () => {
    const fontsource = path.dirname(
      createRequire(import.meta.url).resolve('@fontsource/noto-sans-sc/package.json'),
    );
    const latin = path.join(fontsource, 'files', 'noto-sans-sc-latin-400-normal.woff');
    const out = await renderLabel(
      { ...producerCertificate, productName: 'Chinese cabbage' },
      { format: 'pdf', size: '60x40', copies: 1 },
      { timeZone: 'Asia/Shanghai', cjkFont: latin },
    );
    if (!out.ok) throw new Error(out.message);
    const bundled = await render(producerCertificate, { format: 'pdf', size: '60x40', copies: 1 });
    const fontsIn = (pdf: Buffer) => pdf.toString('latin1').match(/\/FontName \//g)?.length;
    expect(fontsIn(out.body)).toBe(1);
    expect(fontsIn(bundled)).toBeGreaterThan(1);
  });

  it('sets very long fields smaller rather than past the edge of the label', async () => {
    const wordy = {
      ...repackCertificate,
      productName: '有机富硒高山生态种植精选特级大叶菠菜',
      issuerName: '长沙市芙蓉区马王堆蔬菜批发市场东区三排十二号张记农产品分装经营部',
    };
    const out = await renderLabel(wordy, { format: 'pdf', size: '60x40', copies: 1 }, settings);
    expect(out.ok).toBe(true);
  });
});

describe('HTML label', () => {
  it('is sized by @page and carries every field, the QR, the id and the commitment', async () => {
    const html = (await render(repackCertificate, { format: 'html', size: '60x40', copies: 1 })).toString();
    expect(html).toContain('@page{size:60mm 40mm;margin:0}');
    for (const text of [
      '<h1>承诺达标合格证</h1>',
      '样式二',
      '<dt>产地</dt><dd>湖南省长沙市</dd>',
      '<dt>数量</dt><dd>12 斤</dd>',
      '<dt>开具日期</dt><dd>2026年3月15日</dd>',
      '编号 c2d8e0f41a6b9357',
      '来源合格证：3f9a2c71d04b8e65、8b1e4d2a7c905f36、e57a09c3b2d6184f',
      '已收取并保存所收购农产品的承诺达标合格证',
      '<svg',
    ]) {
      expect(html).toContain(text);
    }
  });

  it('prints one page per copy', async () => {
    const pages = async (copies: number) => {
      const html = (await render(producerCertificate, { format: 'html', size: '60x40', copies })).toString();
      return html.match(/<main class="label"/g)?.length;
    };
    expect(await pages(1)).toBe(1);
    expect(await pages(3)).toBe(3);
  });

  it('escapes what the issuer typed', async () => {
    const hostile = { ...producerCertificate, productName: '<script>alert(1)</script>' };
    const html = (await render(hostile, { format: 'html', size: '60x80', copies: 1 })).toString();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
  });
});
