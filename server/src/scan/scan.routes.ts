import { canSeeMarket, type Principal, ScanAnswer, ScanSubmission } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import type { GateDevice, ScanError, ScanResult, ScanServiceDeps } from './scan-service.ts';
import { ingestScan } from './scan-service.ts';

export function problemOf(error: ScanError): ApiProblem {
  switch (error.code) {
    case 'LOT_NOT_FOUND':
      return new ApiProblem('LOT_NOT_FOUND', error.message);
    case 'GATE_MISMATCH':
      return new ApiProblem('GATE_MISMATCH', error.message);
    case 'LOT_CLOSED':
      return new ApiProblem('LOT_CLOSED', error.message);
    case 'SCAN_ID_CONFLICT':
      return new ApiProblem('SCAN_ID_CONFLICT', error.message);
    case 'LEDGER_CONTENDED':
      return new ApiProblem('LEDGER_CONTENDED', error.message);
  }
}

/** A person at the console types a code or films it; scanner sources belong to devices. */
const staffSources = new Set(['manual', 'camera']);

export const scanRoutes =
  (deps: ScanServiceDeps): FastifyPluginAsyncZod =>
  async (app) => {
    /**
     * Where a scan is judged: a device at its own gate, or gate staff (and market admins) at the gate they
     * picked, which must be a gate of their market. Staff scans have no device; the audit log names the user.
     */
    async function submitterOf(principal: Principal, submission: ScanSubmission): Promise<GateDevice> {
      if (principal.kind === 'device') return principal;
      if (principal.kind !== 'user')
        throw new ApiProblem('UNAUTHENTICATED', 'log in or present a device token');
      if (!staffSources.has(submission.provenance.source)) {
        throw new ApiProblem('VALIDATION_FAILED', 'from the console, a scan is `manual` or `camera`', [
          { path: 'body.provenance.source', message: 'manual or camera' },
        ]);
      }
      const gateId = submission.gateId;
      const gate = await app.prisma.gate.findUnique({
        where: { id: gateId },
        select: { active: true, market: { select: { id: true, regionCode: true } } },
      });
      if (!gate?.active || !canSeeMarket(principal, gate.market)) {
        throw new ApiProblem('GATE_MISMATCH', `gate ${submission.gateId} is not a gate of your market`);
      }
      return { deviceId: null, gateId, marketId: gate.market.id, actor: actorOf(principal) };
    }

    app.post(
      '/scans',
      {
        schema: {
          tags: ['scans'],
          summary:
            'Submit a scan: gate devices, or gate staff at a gate of their market (source manual or camera). ' +
            'Idempotent on the client-chosen scanId: a re-send returns the first answer.',
          body: ScanSubmission,
          response: { 200: ScanAnswer, ...errorResponses(400, 401, 403, 404, 409, 413, 429, 503) },
        },
        preParsing: app.requireRole(['gate_staff', 'market_admin'], { device: true }),
      },
      async (request, reply) => {
        const submitter = await submitterOf(request.principal, request.body);
        const result: ScanResult = await ingestScan(deps, request.body, submitter);
        if (!result.ok) throw problemOf(result.error);
        // The stored text itself, so a re-send gets the first answer byte for byte.
        return reply
          .code(200)
          .header('x-lz-replayed', result.replayed ? '1' : '0')
          .type('application/json; charset=utf-8')
          .serializer((payload: unknown) => payload as string)
          .send(result.response as unknown as ScanAnswer);
      },
    );
  };
