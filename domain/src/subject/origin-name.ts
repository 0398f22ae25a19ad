import { divisionTable } from './divisions.ts';
import { regionAncestors } from './region-code.ts';

let names: Map<string, string> | undefined;

/** The division table parsed once, on first use: most callers (the agent, the console) never print a place. */
function divisionNames(): Map<string, string> {
  names ??= new Map(
    divisionTable
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, 6), line.slice(7)] as const),
  );
  return names;
}

/** The name of one GB/T 2260 division (430182 → 宁乡市), or undefined when the table does not know the code. */
export function divisionName(code: string): string | undefined {
  return divisionNames().get(code);
}

/**
 * 产地 as people write it: the province, prefecture and county names of a GB/T 2260 code, widest first
 * (430182 → 湖南省长沙市宁乡市, 110105 → 北京市朝阳区). Levels the statistics leave unnamed (北京市's 市辖区) are
 * skipped. A code the table does not know keeps its digits after the names that are known (430199 →
 * 湖南省长沙市（430199）), so a label never loses what was signed.
 */
export function originName(code: string): string {
  if (!/^\d{6}$/.test(code)) return code;
  const known = regionAncestors(code)
    .map((c) => divisionName(c))
    .filter((name): name is string => name !== undefined);
  const place = known.join('');
  if (divisionName(code) !== undefined) return place;
  return place ? `${place}（${code}）` : code;
}
