import type { Signer } from '@liangzheng/domain';
import { SignedDocument, signSnapshot, signSnapshotDelta } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { changesStoredSince, incrementFromChanges, type StoredChanges } from './trust-increment.ts';
import type { TrustSource, TrustView } from './trust-source.ts';

export const TrustAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('full'), version: z.number(), snapshot: SignedDocument }),
  z.object({ kind: z.literal('delta'), fromVersion: z.number(), version: z.number(), delta: SignedDocument }),
  z.object({ kind: z.literal('current'), version: z.number() }),
]);

/** Digits only: `Number('')` is 0 and `Number('1e3')` is 1000, neither of which an agent meant. */
export const TrustQuery = z.strictObject({
  since: z
    .string()
    .regex(/^(0|[1-9]\d{0,14})$/, 'since is a trust version: a whole number, 0 or more')
    .transform(Number)
    .optional(),
});

export interface TrustRouteDeps {
  trust: TrustSource;
  rootSigner: () => Signer;
  /** the highest stored TrustChange version, across every node */
  latestVersion: () => Promise<number>;
  changesSince: (since: number, upTo: number) => Promise<StoredChanges>;
}

/**
 * `GET /trust`: the root-signed snapshot. `?since=<version>`: the signed increment from that version, made from the
 * stored TrustChange rows, so any stored version is served (also after a restart); the full snapshot when the rows
 * after it are no longer stored. A version newer than any stored one is refused: the agent's snapshot came from
 * another database.
 */
export const trustRoutes =
  (deps: TrustRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const signedFull = new Map<number, z.infer<typeof SignedDocument>>();

    const full = (view: TrustView) => {
      let snapshot = signedFull.get(view.version);
      if (!snapshot || JSON.parse(snapshot.body).issuedAt !== view.snapshot.issuedAt) {
        snapshot = signSnapshot(view.snapshot, deps.rootSigner());
        signedFull.clear();
        signedFull.set(view.version, snapshot);
      }
      return { kind: 'full' as const, version: view.version, snapshot };
    };

    /** A version this node has not built yet may be another node's: look at the database before refusing it. */
    const viewReaching = async (since: number) => {
      const view = await deps.trust.current();
      if (since <= view.version) return view;
      const latest = await deps.latestVersion();
      if (since > latest) {
        throw new ApiProblem(
          'TRUST_VERSION_UNKNOWN',
          `trust version ${since} is newer than any stored (latest ${latest}); fetch without since`,
        );
      }
      deps.trust.invalidate();
      return deps.trust.current();
    };

    app.get(
      '/trust',
      {
        schema: {
          tags: ['trust'],
          querystring: TrustQuery,
          response: { 200: TrustAnswer, ...errorResponses(400, 401, 403, 429, 503) },
        },
        preHandler: app.requireRole(['market_admin', 'gate_staff', 'regulator'], { device: true }),
      },
      async (request) => {
        const since = request.query.since;
        if (since === undefined) return full(await deps.trust.current());
        const view = await viewReaching(since);
        if (since === view.version) return { kind: 'current' as const, version: view.version };
        const stored = await deps.changesSince(since, view.version);
        if (!changesStoredSince(since, stored.oldest)) return full(view);
        const delta = signSnapshotDelta(
          incrementFromChanges(since, view.snapshot, stored),
          deps.rootSigner(),
        );
        return { kind: 'delta' as const, fromVersion: since, version: view.version, delta };
      },
    );
  };
