import {
  assessCredit,
  type CreditAssessment,
  type CreditGrade,
  CreditGrade as CreditGradeSchema,
  type CreditGradeView,
} from '@liangzheng/domain';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock/clock.ts';
import type { Db, Tx } from '../storage/db.ts';
import { readCreditRecords } from './credit-record.ts';

export interface CreditDeps {
  db: Db;
  clock: Clock;
  audit: AuditLog;
}

type GradeRow = {
  id: number;
  issuerId: number;
  grade: string;
  score: number;
  source: string;
  trigger: string;
  inputs: string;
  reason: string;
  actor: string;
  computedAt: Date;
};

export function toGradeView(row: GradeRow): CreditGradeView {
  const inputs = JSON.parse(row.inputs) as { rules?: CreditGradeView['rules'] };
  return {
    id: row.id,
    issuerId: row.issuerId,
    grade: CreditGradeSchema.parse(row.grade),
    score: row.score,
    source: row.source === 'override' ? 'override' : 'computed',
    trigger: row.trigger,
    reason: row.reason,
    actor: row.actor,
    computedAt: row.computedAt.toISOString(),
    rules: inputs.rules ?? [],
  };
}

const sliceSize = 500;

/** A grade change is a trust change: agents carry issuers' grades in their snapshot. */
async function gradeChanged(tx: Tx, issuerId: number, grade: CreditGrade, at: Date) {
  await tx.issuer.update({ where: { id: issuerId }, data: { creditGrade: grade } });
  await tx.vendor.updateMany({ where: { issuerId }, data: { creditGrade: grade } });
  await tx.trustChange.create({ data: { kind: 'issuer', ref: String(issuerId), at } });
}

/**
 * Recomputes the grades of these issuers from their records. A row joins the history only when the score or grade
 * moved, so repeated events do not bloat it; the issuer's current grade follows the newest row.
 * Returns the issuers whose grade changed.
 */
export async function recomputeCredit(
  deps: CreditDeps,
  issuerIds: readonly number[],
  trigger: string,
  actor: string,
): Promise<{ recomputed: number; changed: number[] }> {
  const now = deps.clock.now();
  const changed: number[] = [];
  let recomputed = 0;
  for (let i = 0; i < issuerIds.length; i += sliceSize) {
    const ids = issuerIds.slice(i, i + sliceSize);
    const [records, issuers, latest] = await Promise.all([
      readCreditRecords(deps.db, ids, now),
      deps.db.issuer.findMany({ where: { id: { in: ids } }, select: { id: true, creditGrade: true } }),
      deps.db.creditGrade.findMany({
        where: { issuerId: { in: ids } },
        orderBy: { id: 'desc' },
        distinct: ['issuerId'],
        select: { issuerId: true, score: true, grade: true, source: true },
      }),
    ]);
    const lastOf = new Map(latest.map((row) => [row.issuerId, row]));
    const moved: { issuerId: number; assessment: CreditAssessment; gradeMoved: boolean }[] = [];
    for (const issuer of issuers) {
      const assessment = assessCredit(records.get(issuer.id) ?? emptyRecord, now);
      const last = lastOf.get(issuer.id);
      recomputed++;
      if (
        last &&
        last.source === 'computed' &&
        last.score === assessment.score &&
        last.grade === assessment.grade
      )
        continue;
      moved.push({ issuerId: issuer.id, assessment, gradeMoved: issuer.creditGrade !== assessment.grade });
    }
    if (moved.length === 0) continue;
    await deps.db.$transaction(async (tx) => {
      await tx.creditGrade.createMany({
        data: moved.map(({ issuerId, assessment }) => ({
          issuerId,
          grade: assessment.grade,
          score: assessment.score,
          source: 'computed',
          trigger,
          inputs: JSON.stringify({ rules: assessment.rules, lastProblemAt: assessment.lastProblemAt }),
          actor,
          computedAt: now,
        })),
      });
      for (const m of moved.filter((m) => m.gradeMoved)) {
        await gradeChanged(tx, m.issuerId, m.assessment.grade, now);
        changed.push(m.issuerId);
      }
    });
  }
  return { recomputed, changed };
}

const emptyRecord = { violations: [], rapidTests: [], recalls: [], issuedAt: [] };

export type OverrideError = { code: 'CREDIT_OVERRIDE_REASON_REQUIRED' | 'NOT_FOUND'; message: string };

/** An admin sets a grade by hand: it needs a reason, joins the history and the audit chain. */
export async function overrideCredit(
  deps: CreditDeps,
  issuerId: number,
  override: { grade: CreditGrade; reason: string },
  actor: string,
): Promise<{ ok: true; value: CreditGradeView } | { ok: false; error: OverrideError }> {
  if (override.reason.trim() === '') {
    return {
      ok: false,
      error: {
        code: 'CREDIT_OVERRIDE_REASON_REQUIRED',
        message: '调整信用等级须填写理由 / a grade override needs a reason',
      },
    };
  }
  const issuer = await deps.db.issuer.findUnique({ where: { id: issuerId } });
  if (!issuer) return { ok: false, error: { code: 'NOT_FOUND', message: `issuer ${issuerId} not found` } };
  const now = deps.clock.now();
  const row = await deps.db.$transaction(async (tx) => {
    const last = await tx.creditGrade.findFirst({ where: { issuerId }, orderBy: { id: 'desc' } });
    const created = await tx.creditGrade.create({
      data: {
        issuerId,
        grade: override.grade,
        score: last?.score ?? 0,
        source: 'override',
        trigger: 'override',
        inputs: JSON.stringify({ from: issuer.creditGrade }),
        reason: override.reason,
        actor,
        computedAt: now,
      },
    });
    if (issuer.creditGrade !== override.grade) await gradeChanged(tx, issuerId, override.grade, now);
    await deps.audit.append(tx, {
      actor,
      action: 'credit.override',
      entity: 'issuer',
      entityId: String(issuerId),
      data: { from: issuer.creditGrade, to: override.grade, reason: override.reason },
    });
    return created;
  });
  return { ok: true, value: toGradeView(row) };
}

export async function creditHistory(db: Db, issuerId: number, limit = 100) {
  const rows = await db.creditGrade.findMany({ where: { issuerId }, orderBy: { id: 'desc' }, take: limit });
  const history = rows.map(toGradeView);
  return { issuerId, current: history[0] ?? null, history };
}
