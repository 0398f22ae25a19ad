import { randomUUID } from 'node:crypto';
import type { Principal, ViolationDispositionBody } from '@liangzheng/domain';
import type { z } from 'zod';
import { actorOf } from '../identity/identity.ts';
import { findVisible, mayDecide, type ViolationDeps } from './violation-service.ts';

type DispositionInput = z.output<typeof ViolationDispositionBody>;

export type DispositionError = {
  code: 'NOT_FOUND' | 'FORBIDDEN' | 'DISPOSITION_NOT_ALLOWED';
  message: string;
};

/** Goods can be dealt with once a case is open; a penalty only once the violation is confirmed. */
function allowed(status: string, kind: DispositionInput['kind']): string | null {
  if (status === 'dismissed') return '已撤销的违规不能处置 / a dismissed violation takes no disposition';
  if (kind === 'penalty' && status !== 'confirmed' && status !== 'rectified')
    return '处罚须在违规确认后决定 / a penalty is decided once the violation is confirmed';
  return null;
}

export function toDispositionView(row: {
  id: string;
  violationId: string;
  kind: string;
  note: string;
  amountYuan: number | null;
  supervisor: string;
  actorId: number;
  at: Date;
}) {
  return { ...row, kind: row.kind as DispositionInput['kind'], at: row.at.toISOString() };
}

/** 不合格处置 (held, returned, destroyed under supervision) or a penalty, recorded against the violation. */
export async function recordDisposition(
  deps: ViolationDeps,
  principal: Principal,
  violationId: string,
  input: DispositionInput,
) {
  const violation = await findVisible(deps, principal, violationId);
  if (!violation || principal.kind !== 'user')
    return {
      ok: false as const,
      error: { code: 'NOT_FOUND' as const, message: `violation ${violationId} not found` },
    };
  if (!mayDecide(principal, violation.regionCode))
    return {
      ok: false as const,
      error: { code: 'FORBIDDEN' as const, message: 'only regulators of the region record dispositions' },
    };
  const refusal = allowed(violation.status, input.kind);
  if (refusal)
    return { ok: false as const, error: { code: 'DISPOSITION_NOT_ALLOWED' as const, message: refusal } };
  const now = deps.clock.now();
  const row = await deps.db.$transaction(async (tx) => {
    const created = await tx.violationDisposition.create({
      data: {
        id: randomUUID(),
        violationId,
        kind: input.kind,
        note: input.note,
        amountYuan: input.amountYuan ?? null,
        supervisor: input.supervisor,
        actorId: principal.userId,
        at: now,
      },
    });
    await tx.violationEvent.create({
      data: {
        violationId,
        type: 'disposition',
        note: `${input.kind}: ${input.note}`,
        evidence: JSON.stringify({ dispositionId: created.id }),
        actorId: principal.userId,
        at: now,
      },
    });
    await deps.audit.append(tx, {
      actor: actorOf(principal),
      action: 'violation.disposition',
      entity: 'violation',
      entityId: violationId,
      data: { kind: input.kind, amountYuan: input.amountYuan ?? null, supervisor: input.supervisor },
    });
    return created;
  });
  return { ok: true as const, value: toDispositionView(row) };
}
