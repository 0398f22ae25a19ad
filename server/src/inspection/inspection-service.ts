import { randomBytes, randomUUID } from 'node:crypto';
import {
  type DrawnTask,
  type DrawRequestBody,
  drawCrossInspection,
  type InspectionDrawView,
  type InspectionFindingBody,
  type InspectionTaskView,
  type PoolInspector,
  type PoolTarget,
  type UserPrincipal,
} from '@liangzheng/domain';
import type { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock/clock.ts';
import type { AppEvents } from '../events/events.ts';
import { ApiProblem } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import type { Db } from '../storage/db.ts';
import { drawScope, inspectorPool, targetPool } from './inspection-pools.ts';

export interface InspectionDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  events: AppEvents;
}

/** The violation reason a cross-inspection finding opens with; not a gate verdict reason. */
export const inspectionViolationReason = 'CROSS_INSPECTION';

const taskInclude = { findings: { orderBy: { at: 'asc' } } } as const;

type TaskRow = {
  id: string;
  drawId: string;
  inspectorId: number;
  targetKind: string;
  marketId: number;
  stallId: number | null;
  regionCode: string;
  status: string;
  doneAt: Date | null;
  findings: {
    id: string;
    compliant: boolean;
    note: string;
    lotId: string | null;
    violationId: string | null;
    actorId: number;
    at: Date;
  }[];
};

/** Names for the ids a task carries, read in three queries for any number of tasks. */
export async function taskViews(db: Db, rows: TaskRow[]): Promise<InspectionTaskView[]> {
  const [users, markets, stalls] = await Promise.all([
    db.user.findMany({
      where: { id: { in: rows.map((r) => r.inspectorId) } },
      select: { id: true, displayName: true },
    }),
    db.market.findMany({
      where: { id: { in: rows.map((r) => r.marketId) } },
      select: { id: true, name: true },
    }),
    db.stall.findMany({
      where: { id: { in: rows.flatMap((r) => (r.stallId ? [r.stallId] : [])) } },
      select: { id: true, number: true },
    }),
  ]);
  return rows.map((row) => ({
    id: row.id,
    drawId: row.drawId,
    inspectorId: row.inspectorId,
    inspectorName: users.find((u) => u.id === row.inspectorId)?.displayName ?? '',
    targetKind: row.targetKind === 'stall' ? 'stall' : 'market',
    marketId: row.marketId,
    marketName: markets.find((m) => m.id === row.marketId)?.name ?? '',
    stallId: row.stallId,
    stallNumber: stalls.find((s) => s.id === row.stallId)?.number ?? null,
    regionCode: row.regionCode,
    status: row.status === 'done' ? 'done' : 'assigned',
    doneAt: row.doneAt?.toISOString() ?? null,
    findings: row.findings.map((f) => ({ ...f, at: f.at.toISOString() })),
  }));
}

type DrawRow = {
  id: string;
  seed: string;
  params: string;
  inspectorPool: string;
  targetPool: string;
  result: string;
  actor: string;
  at: Date;
};

export async function drawView(db: Db, draw: DrawRow, tasks: TaskRow[]): Promise<InspectionDrawView> {
  return {
    id: draw.id,
    seed: draw.seed,
    params: JSON.parse(draw.params),
    inspectorPool: JSON.parse(draw.inspectorPool),
    targetPool: JSON.parse(draw.targetPool),
    actor: draw.actor,
    at: draw.at.toISOString(),
    tasks: await taskViews(db, tasks),
  };
}

/** Draws from the pools as they are now, logs the seed and pools, and creates one task per pair. */
export async function runDraw(deps: InspectionDeps, principal: UserPrincipal, body: DrawRequestBody) {
  const scope = drawScope(principal);
  const [inspectors, targets] = await Promise.all([
    inspectorPool(deps.db, scope),
    targetPool(deps.db, scope, body),
  ]);
  // A seed nobody chose: 128 random bits, logged so the draw can be checked afterwards.
  const seed = body.seed ?? randomBytes(16).toString('hex');
  const drawn = drawCrossInspection(inspectors, targets, {
    seed,
    count: body.count,
    weightByCredit: body.weightByCredit,
  });
  if (!drawn.ok) throw new ApiProblem(drawn.error.code, drawn.error.message);
  const now = deps.clock.now();
  const id = randomUUID();
  const { seed: _seed, ...params } = body;
  await deps.db.$transaction(async (tx) => {
    await tx.inspectionDraw.create({
      data: {
        id,
        seed,
        params: JSON.stringify(params),
        inspectorPool: JSON.stringify(inspectors),
        targetPool: JSON.stringify(targets),
        result: JSON.stringify(drawn.tasks),
        actor: actorOf(principal),
        at: now,
      },
    });
    await tx.inspectionTask.createMany({
      data: drawn.tasks.map((task) => ({
        id: randomUUID(),
        drawId: id,
        inspectorId: task.inspectorId,
        targetKind: task.target.kind,
        marketId: task.target.marketId,
        stallId: task.target.stallId,
        regionCode: task.target.regionCode,
      })),
    });
    await deps.audit.append(tx, {
      actor: actorOf(principal),
      action: 'inspection.draw',
      entity: 'inspection_draw',
      entityId: id,
      data: {
        seed,
        params,
        inspectors: inspectors.length,
        targets: targets.length,
        tasks: drawn.tasks.length,
      },
    });
  });
  return (await loadDraw(deps.db, id)) as InspectionDrawView;
}

export async function loadDraw(db: Db, id: string) {
  const draw = await db.inspectionDraw.findUnique({ where: { id } });
  if (!draw) return undefined;
  const tasks = await db.inspectionTask.findMany({
    where: { drawId: id },
    include: taskInclude,
    orderBy: { id: 'asc' },
  });
  return drawView(db, draw, tasks);
}

/** A logged draw is visible to administrators and to the regulators of the province its targets lie in. */
export function maySeeDraw(principal: UserPrincipal, targets: readonly PoolTarget[]): boolean {
  if (principal.scope.kind === 'all') return true;
  const province = drawScope(principal);
  return principal.scope.kind === 'region' && targets.every((t) => t.regionCode.startsWith(province));
}

/** Re-runs a logged draw from its logged seed and pools: anyone may check that the tasks were not chosen by hand. */
export function replayDraw(draw: DrawRow) {
  const params = JSON.parse(draw.params) as { count: number; weightByCredit: boolean };
  const inspectors = JSON.parse(draw.inspectorPool) as PoolInspector[];
  const targets = JSON.parse(draw.targetPool) as PoolTarget[];
  const logged = JSON.parse(draw.result) as DrawnTask[];
  const again = drawCrossInspection(inspectors, targets, { seed: draw.seed, ...params });
  const replayed = again.ok ? again.tasks : [];
  return { drawId: draw.id, same: JSON.stringify(replayed) === JSON.stringify(logged), logged, replayed };
}

export async function findTask(db: Db, id: string) {
  return db.inspectionTask.findUnique({ where: { id }, include: taskInclude });
}

/** The task's own inspector records what they found; a non-compliant finding on a lot there can open a violation. */
export async function recordFinding(
  deps: InspectionDeps,
  principal: UserPrincipal,
  taskId: string,
  body: z.output<typeof InspectionFindingBody>,
) {
  const task = await findTask(deps.db, taskId);
  const isAdmin = principal.scope.kind === 'all';
  if (!task || (!isAdmin && task.inspectorId !== principal.userId))
    throw new ApiProblem('NOT_FOUND', `inspection task ${taskId} not found`);
  if (task.status === 'done') throw new ApiProblem('TASK_DONE', '该检查任务已完成 / the task is done');
  const lot = body.lotId ? await deps.db.lot.findUnique({ where: { id: body.lotId } }) : null;
  if (
    body.lotId &&
    (!lot || lot.marketId !== task.marketId || (task.stallId !== null && lot.stallId !== task.stallId))
  )
    throw new ApiProblem('INVALID_REFERENCE', `lot ${body.lotId} is not at the inspected market or stall`);
  const now = deps.clock.now();
  const findingId = randomUUID();
  const violationId = body.openViolation && lot ? randomUUID() : null;
  await deps.db.$transaction(async (tx) => {
    if (violationId && lot) {
      await tx.violation.create({
        data: {
          id: violationId,
          lotId: lot.id,
          marketId: task.marketId,
          regionCode: task.regionCode,
          reason: inspectionViolationReason,
          status: 'open',
          createdAt: now,
          updatedAt: now,
          events: {
            create: {
              type: 'created',
              toStatus: 'open',
              note: body.note,
              evidence: JSON.stringify({ inspectionTaskId: task.id, findingId }),
              actorId: principal.userId,
              at: now,
            },
          },
        },
      });
    }
    await tx.inspectionFinding.create({
      data: {
        id: findingId,
        taskId: task.id,
        compliant: body.compliant,
        note: body.note,
        lotId: body.lotId ?? null,
        violationId,
        actorId: principal.userId,
        at: now,
      },
    });
    if (body.done)
      await tx.inspectionTask.update({ where: { id: task.id }, data: { status: 'done', doneAt: now } });
    await deps.audit.append(tx, {
      actor: actorOf(principal),
      action: 'inspection.finding',
      entity: 'inspection_task',
      entityId: task.id,
      data: { findingId, compliant: body.compliant, violationId, done: body.done },
    });
  });
  if (violationId) deps.events.emit('violation.changed', { violationId });
  const updated = await findTask(deps.db, taskId);
  return (await taskViews(deps.db, updated ? [updated] : []))[0] as InspectionTaskView;
}
