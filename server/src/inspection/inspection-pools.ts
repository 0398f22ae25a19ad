import type {
  CreditGrade,
  DrawRequestBody,
  PoolInspector,
  PoolTarget,
  UserPrincipal,
} from '@liangzheng/domain';
import { CreditGrade as CreditGradeSchema } from '@liangzheng/domain';
import type { Db } from '../storage/db.ts';

const gradeOrder: readonly CreditGrade[] = ['A', 'B', 'C', 'D'];

/** The lowest of the grades, or null when none is known. */
function worst(grades: readonly string[]): CreditGrade | null {
  const known = grades.flatMap((g) => CreditGradeSchema.safeParse(g).data ?? []);
  if (known.length === 0) return null;
  return known.reduce((a, b) => (gradeOrder.indexOf(a) >= gradeOrder.indexOf(b) ? a : b));
}

/**
 * A cross-inspection spans a province: a regulator draws over their own province (the first two digits of their
 * region), an administrator over everything.
 */
export function drawScope(principal: UserPrincipal): string {
  return principal.scope.kind === 'region' ? principal.scope.prefix.slice(0, 2) : '';
}

/** Active regulator users with their region, inside the scope. */
export async function inspectorPool(db: Db, scope: string): Promise<PoolInspector[]> {
  const users = await db.user.findMany({
    where: { role: 'regulator', active: true, regionPrefix: { startsWith: scope } },
    select: { id: true, regionPrefix: true },
    orderBy: { id: 'asc' },
  });
  return users.flatMap((u) => (u.regionPrefix ? [{ userId: u.id, regionPrefix: u.regionPrefix }] : []));
}

/** Active markets (or their occupied stalls) inside the scope and the request's region, with the worst grade there. */
export async function targetPool(
  db: Db,
  scope: string,
  request: Pick<DrawRequestBody, 'kind' | 'regionPrefix'>,
): Promise<PoolTarget[]> {
  const asked = request.regionPrefix ?? scope;
  // Narrower than the scope, or the scope itself; a region outside it leaves the pool empty.
  if (!asked.startsWith(scope) && !scope.startsWith(asked)) return [];
  const prefix = asked.length > scope.length ? asked : scope;
  const markets = await db.market.findMany({
    where: { active: true, regionCode: { startsWith: prefix } },
    select: {
      id: true,
      regionCode: true,
      stalls: { where: { active: true }, select: { id: true, vendor: { select: { creditGrade: true } } } },
    },
    orderBy: { id: 'asc' },
  });
  if (request.kind === 'market') {
    return markets.map((m) => ({
      kind: 'market',
      marketId: m.id,
      stallId: null,
      regionCode: m.regionCode,
      creditGrade: worst(m.stalls.flatMap((s) => (s.vendor ? [s.vendor.creditGrade] : []))),
    }));
  }
  return markets.flatMap((m) =>
    m.stalls
      .filter((s) => s.vendor)
      .map((s) => ({
        kind: 'stall' as const,
        marketId: m.id,
        stallId: s.id,
        regionCode: m.regionCode,
        creditGrade: worst(s.vendor ? [s.vendor.creditGrade] : []),
      })),
  );
}
