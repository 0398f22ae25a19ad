import { z } from 'zod';

/**
 * GB/T 2260 administrative division codes: six digits PPCCDD (province, city/prefecture, county).
 * A regulator's scope is a code at some level; what lies inside it shares its prefix.
 */

export const RegionLevel = z.enum(['province', 'city', 'county']);
export type RegionLevel = z.infer<typeof RegionLevel>;

export interface RegionCodeParts {
  code: string;
  level: RegionLevel;
  province: string;
  /** absent for a province-level code */
  city?: string;
}

export type ParsedRegionCode =
  | { ok: true; region: RegionCodeParts }
  | { ok: false; error: { code: 'REGION_FORMAT' | 'UNKNOWN_PROVINCE'; input: string } };

/** Province-level divisions (two leading digits) and their short names. */
export const provinces: Readonly<Record<string, string>> = {
  '11': '北京',
  '12': '天津',
  '13': '河北',
  '14': '山西',
  '15': '内蒙古',
  '21': '辽宁',
  '22': '吉林',
  '23': '黑龙江',
  '31': '上海',
  '32': '江苏',
  '33': '浙江',
  '34': '安徽',
  '35': '福建',
  '36': '江西',
  '37': '山东',
  '41': '河南',
  '42': '湖北',
  '43': '湖南',
  '44': '广东',
  '45': '广西',
  '46': '海南',
  '50': '重庆',
  '51': '四川',
  '52': '贵州',
  '53': '云南',
  '54': '西藏',
  '61': '陕西',
  '62': '甘肃',
  '63': '青海',
  '64': '宁夏',
  '65': '新疆',
  '71': '台湾',
  '81': '香港',
  '82': '澳门',
};

export function regionLevel(code: string): RegionLevel {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

export function parseRegionCode(input: string): ParsedRegionCode {
  if (!/^\d{6}$/.test(input)) return { ok: false, error: { code: 'REGION_FORMAT', input } };
  const province = input.slice(0, 2);
  if (!provinces[province]) return { ok: false, error: { code: 'UNKNOWN_PROVINCE', input } };
  const level = regionLevel(input);
  const region: RegionCodeParts = { code: input, level, province: `${province}0000` };
  if (level === 'county') region.city = `${input.slice(0, 4)}00`;
  return { ok: true, region };
}

/** The prefix every code inside this region starts with: '43' for 湖南, '4301' for 长沙, the whole code for a county. */
export function regionPrefix(code: string): string {
  const level = regionLevel(code);
  if (level === 'province') return code.slice(0, 2);
  if (level === 'city') return code.slice(0, 4);
  return code;
}

/** Whether `code` lies within the regulator scope `scope` (a region at any level). */
export function isWithinRegion(code: string, scope: string): boolean {
  return code.startsWith(regionPrefix(scope));
}

/** The codes of the province, city and county containing `code`, widest first, without repeats. */
export function regionAncestors(code: string): string[] {
  const chain = [`${code.slice(0, 2)}0000`, `${code.slice(0, 4)}00`, code];
  return chain.filter((c, i) => chain.indexOf(c) === i);
}
