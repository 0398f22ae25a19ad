import type { Signer } from '@liangzheng/domain';
import { diffSnapshots, SignedDocument, signSnapshot, signSnapshotDelta } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../http/error-code.ts';
import type { TrustSource } from './trust-source.ts';

export const TrustAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('full'), version: z.number(), snapshot: SignedDocument }),
  z.object({ kind: z.literal('delta'), fromVersion: z.number(), version: z.number(), delta: SignedDocument }),
  z.object({ kind: z.literal('current'), version: z.number() }),
]);

export const TrustQuery = z.strictObject({ since: z.coerce.number().int().nonnegative().optional() });

/**
 * `GET /trust`: the root-signed snapshot. `?since=<version>`: the signed increment from that version, or the
 * full snapshot when the server no longer holds that version (agents apply whichever kind they get).
 */
export const trustRoutes =
  (deps: { trust: TrustSource; rootSigner: () => Signer }): FastifyPluginAsyncZod =>
  async (app) => {
    const signedFull = new Map<number, z.infer<typeof SignedDocument>>();
    app.get(
      '/trust',
      {
        schema: {
          tags: ['trust'],
          querystring: TrustQuery,
          response: { 200: TrustAnswer, ...errorResponses(400, 401, 403, 503) },
        },
        preHandler: app.requireRole(['market_admin', 'gate_staff', 'regulator'], { device: true }),
      },
      async (request) => {
        const view = await deps.trust.current();
        const since = request.query.since;
        if (since === view.version) return { kind: 'current' as const, version: view.version };
        const old = since === undefined ? undefined : deps.trust.history(since);
        if (old && since !== undefined && since < view.version) {
          const delta = signSnapshotDelta(diffSnapshots(old, view.snapshot), deps.rootSigner());
          return { kind: 'delta' as const, fromVersion: since, version: view.version, delta };
        }
        let snapshot = signedFull.get(view.version);
        if (!snapshot || JSON.parse(snapshot.body).issuedAt !== view.snapshot.issuedAt) {
          snapshot = signSnapshot(view.snapshot, deps.rootSigner());
          signedFull.clear();
          signedFull.set(view.version, snapshot);
        }
        return { kind: 'full' as const, version: view.version, snapshot };
      },
    );
  };
