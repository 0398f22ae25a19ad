import type { Principal, ViolationView } from '@liangzheng/domain';
import { checkTransition, type TransitionError, ViolationStatus, violationAgeing } from '@liangzheng/domain';
import type { Prisma } from '@liangzheng/prisma';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock/clock.ts';
import type { AppEvents } from '../events/events.ts';
import { actorOf } from '../identity/identity.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import type { Db } from '../storage/db.ts';

export interface ViolationDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  live: LiveFeed;
  events: AppEvents;
}

export type ViolationError =
  | { code: 'NOT_FOUND'; message: string }
  | { code: 'FORBIDDEN'; message: string }
  | { code: 'INVALID_REFERENCE'; message: string }
  | { code: 'CHANGED_CONCURRENTLY'; message: string }
  | TransitionError;

export type Done<T> = { ok: true; value: T } | { ok: false; error: ViolationError };

/** What every read of a violation takes along: the market's name and the lot's plate and product. */
export const violationContext = {
  market: { select: { name: true } },
  lot: { select: { plate: true, productName: true } },
} as const;

type ViolationRow = {
  id: string;
  lotId: string;
  scanId: string | null;
  marketId: number;
  regionCode: string;
  reason: string;
  status: string;
  assigneeId: number | null;
  createdAt: Date;
  updatedAt: Date;
  market: { name: string };
  lot: { plate: string; productName: string };
};

export function toView({ market, lot, ...row }: ViolationRow, now: Date): ViolationView {
  const ageing = violationAgeing(ViolationStatus.parse(row.status), row.createdAt, now);
  return {
    ...row,
    ageDays: ageing.ageDays,
    dueAt: ageing.dueAt?.toISOString() ?? null,
    overdue: ageing.overdue,
    marketName: market.name,
    plate: lot.plate,
    productName: lot.productName,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Which violations a principal sees: everything for admins, their region prefix for regulators, their market for
 * market staff; nobody else. `undefined` means none at all.
 */
export function visibleWhere(principal: Principal): Prisma.ViolationWhereInput | undefined {
  if (principal.kind !== 'user') return undefined;
  const scope = principal.scope;
  if (scope.kind === 'all') return {};
  if (scope.kind === 'region') return { regionCode: { startsWith: scope.prefix } };
  if (scope.kind === 'market' && (principal.role === 'market_admin' || principal.role === 'gate_staff')) {
    return { marketId: scope.marketId };
  }
  return undefined;
}

/** Deciding on a violation belongs to regulators of its region and to admins. */
export function mayDecide(principal: Principal, regionCode: string): boolean {
  if (principal.kind !== 'user') return false;
  if (principal.scope.kind === 'all') return true;
  return principal.scope.kind === 'region' && regionCode.startsWith(principal.scope.prefix);
}

export async function findVisible(deps: ViolationDeps, principal: Principal, id: string) {
  const where = visibleWhere(principal);
  if (!where) return undefined;
  return (
    (await deps.db.violation.findFirst({ where: { AND: [where, { id }] }, include: violationContext })) ??
    undefined
  );
}

const notFound = (id: string): Done<never> => ({
  ok: false,
  error: { code: 'NOT_FOUND', message: `violation ${id} not found` },
});

async function change(
  deps: ViolationDeps,
  principal: Principal,
  id: string,
  apply: (
    row: ViolationRow,
  ) => Promise<
    Done<{ event: Prisma.ViolationEventCreateWithoutViolationInput; data: Prisma.ViolationUpdateInput }>
  >,
): Promise<Done<ViolationView>> {
  const row = await findVisible(deps, principal, id);
  if (!row) return notFound(id);
  if (!mayDecide(principal, row.regionCode)) {
    return {
      ok: false,
      error: { code: 'FORBIDDEN', message: 'only regulators of the region decide on violations' },
    };
  }
  const planned = await apply(row);
  if (!planned.ok) return planned;
  const now = deps.clock.now();
  const actorId = principal.kind === 'user' ? principal.userId : null;
  const updated = await deps.db.$transaction(async (tx) => {
    // Guarded on the status read above, so two regulators deciding at once cannot both win.
    const moved = await tx.violation.updateMany({
      where: { id, status: row.status },
      data: { ...(planned.value.data as Prisma.ViolationUpdateManyMutationInput), updatedAt: now },
    });
    if (moved.count === 0) return undefined;
    await tx.violationEvent.create({ data: { ...planned.value.event, violationId: id, actorId, at: now } });
    await deps.audit.append(tx, {
      actor: actorOf(principal),
      action: `violation.${planned.value.event.type}`,
      entity: 'violation',
      entityId: id,
      // The event minus its evidence blob: photos stay in the violation's trail, not in the audit chain.
      data: { ...planned.value.event, evidence: undefined },
    });
    return tx.violation.findUniqueOrThrow({ where: { id }, include: violationContext });
  });
  if (!updated) {
    return {
      ok: false,
      error: { code: 'CHANGED_CONCURRENTLY', message: 'the violation changed meanwhile; reload' },
    };
  }
  deps.live.toRegion(updated.regionCode, 'violation:changed', {
    violationId: id,
    regionCode: updated.regionCode,
    type: planned.value.event.type,
    status: updated.status,
    at: now.toISOString(),
  });
  deps.events.emit('violation.changed', { violationId: id });
  return { ok: true, value: toView(updated, now) };
}

export function transition(
  deps: ViolationDeps,
  principal: Principal,
  id: string,
  to: ViolationStatus,
  note: string,
) {
  return change(deps, principal, id, async (row) => {
    const from = ViolationStatus.parse(row.status);
    const check = checkTransition(from, to);
    if (!check.ok) return { ok: false, error: check.error };
    return {
      ok: true,
      value: { data: { status: to }, event: { type: 'status', fromStatus: from, toStatus: to, note } },
    };
  });
}

export function assign(deps: ViolationDeps, principal: Principal, id: string, assigneeId: number) {
  return change(deps, principal, id, async (row) => {
    const assignee = await deps.db.user.findUnique({ where: { id: assigneeId } });
    const covers =
      assignee?.active &&
      assignee.role === 'regulator' &&
      row.regionCode.startsWith(assignee.regionPrefix ?? '-');
    if (!covers) {
      return {
        ok: false,
        error: {
          code: 'INVALID_REFERENCE',
          message: `user ${assigneeId} is not a regulator of region ${row.regionCode}`,
        },
      };
    }
    return {
      ok: true,
      value: { data: { assigneeId }, event: { type: 'assigned', note: `assigned to ${assignee.username}` } },
    };
  });
}

export function addNote(deps: ViolationDeps, principal: Principal, id: string, note: string) {
  return change(deps, principal, id, async () => ({
    ok: true,
    value: { data: {}, event: { type: 'note', note } },
  }));
}

export function addEvidence(
  deps: ViolationDeps,
  principal: Principal,
  id: string,
  evidence: { description: string; photo?: string | undefined },
) {
  return change(deps, principal, id, async () => ({
    ok: true,
    value: {
      data: {},
      event: { type: 'evidence', note: evidence.description, evidence: JSON.stringify(evidence) },
    },
  }));
}
