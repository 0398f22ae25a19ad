import type { FastifyInstance } from 'fastify';
import { confirmLapsedPositives, type RapidTestDeps } from './rapid-test-service.ts';

const sweepEveryMs = 60_000;

/** Confirms positives whose 4-hour window ran out, once a minute, like the overdue-lot sweep. */
export function watchRetestWindows(app: FastifyInstance, deps: RapidTestDeps): void {
  const sweeper = setInterval(() => {
    confirmLapsedPositives(deps)
      // Each confirmation is a decided test for the producer's credit (docs/credit.md).
      .then((ids) => {
        for (const id of ids) app.events.emit('rapid-test.decided', { rapidTestId: id });
      })
      .catch((err) => app.log.warn({ err }, 'rapid-test window sweep failed; will retry'));
  }, sweepEveryMs);
  sweeper.unref();
  app.addHook('onClose', async () => clearInterval(sweeper));
}
