import type { FastifyInstance } from 'fastify';
import { issuersOfLot } from './credit-record.ts';
import { type CreditDeps, recomputeCredit } from './credit-service.ts';

/**
 * Recomputes producers' grades when their record changes: a violation moves, a rapid test is decided, a recall is
 * issued. Runs after the event's own write has committed; a failure is logged and the next event (or the batch
 * recomputation) catches up, so it never fails the request that caused it.
 */
export function subscribeCreditRecomputation(app: FastifyInstance, deps: CreditDeps) {
  const run = (trigger: string, issuers: () => Promise<number[]>) => {
    void (async () => {
      const ids = await issuers();
      if (ids.length > 0) await recomputeCredit(deps, ids, trigger, 'system:credit');
    })().catch((error: unknown) => app.log.error({ err: error, trigger }, 'credit recomputation failed'));
  };

  app.events.on('violation.changed', ({ violationId }) =>
    run(`violation:${violationId}`, async () => {
      const v = await deps.db.violation.findUnique({ where: { id: violationId } });
      return v ? issuersOfLot(deps.db, v.lotId, v.scanId) : [];
    }),
  );
  app.events.on('rapid-test.decided', ({ rapidTestId }) =>
    run(`rapid-test:${rapidTestId}`, async () => {
      const t = await deps.db.rapidTest.findUnique({ where: { id: rapidTestId } });
      return t ? issuersOfLot(deps.db, t.lotId, null) : [];
    }),
  );
  app.events.on('recall.issued', ({ recallId }) =>
    run(`recall:${recallId}`, async () => {
      const r = await deps.db.recall.findUnique({ where: { id: recallId } });
      if (!r) return [];
      if (r.issuerId !== null) return [r.issuerId];
      const c = r.certificateId
        ? await deps.db.certificate.findUnique({ where: { id: r.certificateId }, select: { issuerId: true } })
        : null;
      return c ? [c.issuerId] : [];
    }),
  );
}
