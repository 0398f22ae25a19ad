import type { FastifyInstance } from 'fastify';
import { startCreditQueue } from './credit-queue.ts';
import type { CreditDeps } from './credit-service.ts';

/**
 * Recomputes producers' grades when their record changes. The events the app raises (a violation moved, a rapid
 * test decided, a recall issued) only poke the credit queue; the queue reads the record itself after the write
 * committed, so a failure is logged and caught up by the next look, never failing the request that caused it, and
 * the gate's own violations, which raise no event, are read too.
 */
export function subscribeCreditRecomputation(app: FastifyInstance, deps: CreditDeps) {
  const queue = startCreditQueue(deps, {
    onError: (error) => app.log.error({ err: error }, 'credit recomputation failed; the next look retries'),
  });
  app.events.on('violation.changed', queue.poke);
  app.events.on('rapid-test.decided', queue.poke);
  app.events.on('recall.issued', queue.poke);
  app.addHook('onClose', () => queue.close());
}
