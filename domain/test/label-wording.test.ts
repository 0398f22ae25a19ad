import { describe, expect, it } from 'vitest';
import { CertificateKind } from '../src/certificate/certificate.ts';
import { commitments, commitmentText } from '../src/certificate/commitment.ts';
import { type LabelCertificate, labelContent, sourcesLine } from '../src/certificate/label-content.ts';
import { divisionName, originName } from '../src/subject/origin-name.ts';
import { provinces } from '../src/subject/region-code.ts';
import {
  formatLocalDate,
  formatLocalIsoDate,
  isTimeZone,
  localDateTime,
  wallClockDate,
} from '../src/time/local-date.ts';
import { formatQuantity, unitName, units } from '../src/unit/unit.ts';

/** 00:30 on 15 March in Beijing is 16:30 UTC on the 14th. */
const HALF_PAST_MIDNIGHT_BEIJING = '2026-03-14T16:30:00.000Z';

describe('开具日期 on the market’s calendar', () => {
  it('dates a certificate issued at 00:30 Beijing time on that Beijing day, not the UTC day before', () => {
    expect(formatLocalDate(HALF_PAST_MIDNIGHT_BEIJING, 'Asia/Shanghai')).toBe('2026年3月15日');
    expect(formatLocalIsoDate(HALF_PAST_MIDNIGHT_BEIJING, 'Asia/Shanghai')).toBe('2026-03-15');
    expect(formatLocalIsoDate(HALF_PAST_MIDNIGHT_BEIJING, 'UTC')).toBe('2026-03-14');
  });

  it('follows the configured zone: a market on Ürümqi time is still on the 14th', () => {
    expect(formatLocalDate(HALF_PAST_MIDNIGHT_BEIJING, 'Asia/Urumqi')).toBe('2026年3月14日');
  });

  it('reads the wall clock and gives spreadsheets a date whose UTC fields show it', () => {
    expect(localDateTime(HALF_PAST_MIDNIGHT_BEIJING, 'Asia/Shanghai')).toEqual({
      year: 2026,
      month: 3,
      day: 15,
      hour: 0,
      minute: 30,
      second: 0,
    });
    expect(wallClockDate(HALF_PAST_MIDNIGHT_BEIJING, 'Asia/Shanghai').toISOString()).toBe(
      '2026-03-15T00:30:00.000Z',
    );
  });

  it('knows real zone names and refuses made-up ones', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('Asia/Changsha')).toBe(false);
  });
});

describe('units in Chinese', () => {
  it('has a printed word for every unit and never prints the internal code', () => {
    for (const unit of units) expect(unitName(unit)).toMatch(/^[\u4e00-\u9fff]+$/);
    expect(formatQuantity(500, 'kg')).toBe('500 千克');
    expect(formatQuantity(12, 'jin')).toBe('12 斤');
    expect(formatQuantity(3, 'head')).toBe('3 头');
    expect(formatQuantity(20, 'box')).toBe('20 箱');
    expect(formatQuantity(0.1 + 0.2, 't')).toBe('0.3 吨');
  });
});

describe('产地 as a place name (GB/T 2260)', () => {
  it('names a county with its prefecture and province', () => {
    expect(originName('430182')).toBe('湖南省长沙市宁乡市');
    expect(originName('431226')).toBe('湖南省怀化市麻阳苗族自治县');
    expect(originName('430000')).toBe('湖南省');
    expect(originName('430100')).toBe('湖南省长沙市');
  });

  it('skips the statistical placeholder under a municipality', () => {
    expect(originName('110105')).toBe('北京市朝阳区');
    expect(originName('500229')).toBe('重庆市城口县');
    expect(originName('429004')).toBe('湖北省仙桃市');
  });

  it('keeps the digits of a code the table does not know, after the names it does', () => {
    expect(originName('430199')).toBe('湖南省长沙市（430199）');
    expect(originName('990101')).toBe('990101');
    // 国家统计局's development-zone codes are not GB/T 2260 divisions.
    expect(divisionName('130171')).toBeUndefined();
  });

  it('names every province, and every prefecture and county of Hunan', () => {
    for (const code of Object.keys(provinces)) expect(divisionName(`${code}0000`)).toBeDefined();
    const hunanPrefectures = [
      '01',
      '02',
      '03',
      '04',
      '05',
      '06',
      '07',
      '08',
      '09',
      '10',
      '11',
      '12',
      '13',
      '31',
    ];
    for (const p of hunanPrefectures) expect(divisionName(`43${p}00`)).toMatch(/[市州]$/);
    // 122 county-level divisions in 2023 (湖南省统计局).
    const counties = hunanPrefectures.flatMap((p) =>
      Array.from({ length: 99 }, (_, i) => `43${p}${String(i + 1).padStart(2, '0')}`).filter(
        (code) => divisionName(code) !== undefined,
      ),
    );
    expect(counties).toHaveLength(122);
  });
});

const cabbage: LabelCertificate = {
  id: '0123456789abcdef',
  code: 'LZ.DEMO.CN/V/EXAMPLE',
  kind: 'producer',
  productName: '大白菜',
  quantity: 500,
  unit: 'kg',
  originRegion: '430182',
  originText: '',
  issuerName: '宁乡市绿源蔬菜种植专业合作社',
  contact: '0731-87654321',
  basis: 'self_tested',
  commitmentVersion: '2026',
  issuedAt: HALF_PAST_MIDNIGHT_BEIJING,
  parents: [],
};

describe('commitment wording, versioned', () => {
  it('quotes Art. 2 of MOA Order 2025 No. 4 in both templates', () => {
    for (const kind of CertificateKind.options) {
      expect(commitmentText(kind, '2026')).toContain(
        '未使用禁用农药、兽药及其他化合物且使用的常规农药、兽药残留不超标',
      );
    }
    expect(commitments['2026']!.source).toContain('2025年第4号');
  });

  it('has buyer-issued kinds (repack, and any later kind such as resale) promise the sources were collected and kept', () => {
    expect(commitmentText('producer', '2026')).not.toContain('收取并保存');
    expect(commitmentText('repack', '2026')).toContain('已收取并保存所收购农产品的承诺达标合格证');
    expect(commitmentText('resale', '2026')).toBe(commitmentText('repack', '2026'));
  });
});

describe('label content', () => {
  it('prints a producer certificate on 样式一 with place name, unit word, local date and id', () => {
    const content = labelContent(cabbage, 'Asia/Shanghai');
    expect(content.templateName).toBe('样式一');
    expect(Object.fromEntries(content.fields.map((f) => [f.label, f.value]))).toEqual({
      产品名称: '大白菜',
      数量: '500 千克',
      产地: '湖南省长沙市宁乡市',
      承诺主体: '宁乡市绿源蔬菜种植专业合作社',
      联系方式: '0731-87654321',
      开具日期: '2026年3月15日',
      承诺依据: '自行检测合格',
    });
    expect(content.sourceIds).toEqual([]);
    expect(content.id).toBe('0123456789abcdef');
  });

  it('prints a repack on 样式二 with its sources, in the issuing vendor’s name', () => {
    const repack = {
      ...cabbage,
      kind: 'repack',
      issuerName: '张记蔬菜分装店',
      parents: [{ certificateId: 'aaaaaaaaaaaaaaaa' }, { certificateId: 'bbbbbbbbbbbbbbbb' }],
    };
    const content = labelContent(repack, 'Asia/Shanghai');
    expect(content.templateName).toBe('样式二');
    expect(content.fields.find((f) => f.label === '承诺主体')?.value).toBe('张记蔬菜分装店');
    expect(content.sourceIds).toEqual(['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb']);
    expect(content.commitment).toContain('收取并保存');
  });

  it('lists source ids when they fit, else their count and 详见扫码追溯', () => {
    const ids = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'cccccccccccccccc'];
    expect(sourcesLine(ids, () => true)).toBe(
      '来源合格证：aaaaaaaaaaaaaaaa、bbbbbbbbbbbbbbbb、cccccccccccccccc',
    );
    expect(sourcesLine(ids, (text) => text.length <= 40)).toBe('来源合格证 3 张，详见扫码追溯');
  });
});
