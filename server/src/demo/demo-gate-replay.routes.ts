import { DemoGateReplayStarted, DemoGateReplayStatus } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { userOf } from '../identity/identity.ts';
import type { DemoGateReplay } from './demo-gate-replay.ts';
import { replayServerUrl } from './demo-gate-replay.ts';

/**
 * The gate screen's 演示：播放模拟道口 (docs/demo.md): the demo market's gate staff and admins, and the platform
 * admin, replay the simulated gate. Refused DEMO_MODE_OFF without demo data, DEMO_REPLAY_RUNNING while one plays.
 */
export const demoGateReplayRoutes =
  (replay: DemoGateReplay): FastifyPluginAsyncZod =>
  async (app) => {
    const tags = ['demo'];
    const staff = app.requireRole(['gate_staff', 'market_admin']);

    app.get(
      '/demo/gate-replay',
      {
        schema: {
          tags,
          summary: 'Whether the simulated gate can be replayed (demo data) and whether it is playing.',
          response: { 200: DemoGateReplayStatus, ...errorResponses(401, 403) },
        },
        preParsing: staff,
      },
      async () => replay.status(),
    );

    app.post(
      '/demo/gate-replay',
      {
        schema: {
          tags,
          summary:
            'Replay gate-agent/simulate/demo-gate.json as the demo gate device: scans arrive at its gate. Demo mode only, one at a time.',
          response: { 202: DemoGateReplayStarted, ...errorResponses(401, 403, 409, 503) },
        },
        preParsing: staff,
      },
      async (request, reply) => {
        const scope = userOf(request).scope;
        const { gateId } = await replay.status();
        if (gateId !== null && scope.kind !== 'all') {
          const gate = await app.prisma.gate.findUnique({
            where: { id: gateId },
            select: { marketId: true },
          });
          if (scope.kind !== 'market' || gate?.marketId !== scope.marketId) {
            throw new ApiProblem('FORBIDDEN', 'the demo gate is at another market');
          }
        }
        const serverUrl = replayServerUrl(app.server.address(), app.config.host);
        if (!serverUrl) throw new ApiProblem('DEMO_AGENT_MISSING', 'the server is not listening on a port');
        const started = await replay.start(serverUrl);
        if (!started.ok) throw new ApiProblem(started.error.code, started.error.message);
        request.log.info(
          { pid: started.pid, gateId: started.started.gateId },
          'simulated gate replay started',
        );
        return reply.code(202).send(started.started);
      },
    );
  };
