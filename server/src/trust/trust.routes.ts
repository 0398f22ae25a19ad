import type { Signer } from '@liangzheng/domain';
import {
  type SignedDocument,
  signSnapshot,
  signSnapshotDelta,
  signTrustCurrent,
  signTrustRollback,
  TrustAnswer,
} from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { changesStoredSince, incrementFromChanges, type StoredChanges } from './trust-increment.ts';
import type { TrustSource, TrustView } from './trust-source.ts';

/** Digits only: `Number('')` is 0 and `Number('1e3')` is 1000, neither of which an agent meant. */
const TrustVersionParam = z
  .string()
  .regex(/^(0|[1-9]\d{0,14})$/, 'a trust version: a whole number, 0 or more')
  .transform(Number);

/**
 * `since`: the gate's version, for an increment, and `issuedAt`: when its snapshot of that version was issued.
 * `rollbackFrom`: the gate's version when the server knew none as new (TRUST_VERSION_UNKNOWN), for the whole
 * snapshot with a signed rollback statement.
 */
export const TrustQuery = z
  .strictObject({
    since: TrustVersionParam.optional(),
    issuedAt: z.iso.datetime().optional(),
    rollbackFrom: TrustVersionParam.optional(),
  })
  .refine((query) => query.since === undefined || query.rollbackFrom === undefined, {
    message: 'since and rollbackFrom are alternatives',
  })
  .refine((query) => query.issuedAt === undefined || query.since !== undefined, {
    message: 'issuedAt is the issue time of the snapshot of version since',
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
 * another database, and it asks again with `?rollbackFrom=<version>`. Every answer carries a signed "current at
 * T" statement, the only thing that refreshes a gate's snapshot age.
 */
export const trustRoutes =
  (deps: TrustRouteDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const signedFull = new Map<number, SignedDocument>();

    const currentAt = (view: TrustView) =>
      signTrustCurrent(
        {
          format: 1,
          version: view.version,
          at: app.clock.now().toISOString(),
          expiresAt: view.snapshot.expiresAt,
        },
        deps.rootSigner(),
      );

    const full = (view: TrustView) => {
      let snapshot = signedFull.get(view.version);
      if (!snapshot || JSON.parse(snapshot.body).issuedAt !== view.snapshot.issuedAt) {
        snapshot = signSnapshot(view.snapshot, deps.rootSigner());
        signedFull.clear();
        signedFull.set(view.version, snapshot);
      }
      return { kind: 'full' as const, version: view.version, snapshot, current: currentAt(view) };
    };

    /** The gate holds `abandoned`, which this server's history never reached: say so, signed, beside the snapshot. */
    const fullReplacing = (view: TrustView, abandoned: number) => ({
      ...full(view),
      rollback: signTrustRollback(
        { format: 1, version: view.version, abandonedUpTo: abandoned, at: app.clock.now().toISOString() },
        deps.rootSigner(),
      ),
    });

    /** A version this node has not built yet may be another node's: look at the database before refusing it. */
    const viewReaching = async (since: number) => {
      const view = await deps.trust.current();
      if (since <= view.version) return view;
      const latest = await deps.latestVersion();
      if (since > latest) {
        throw new ApiProblem(
          'TRUST_VERSION_UNKNOWN',
          `trust version ${since} is newer than any stored (latest ${latest}); fetch with rollbackFrom=${since}`,
        );
      }
      deps.trust.invalidate();
      return deps.trust.current();
    };

    /** Only a version no node has stored is abandoned; one another node reached is served as a plain snapshot. */
    const answerRollbackFrom = async (abandoned: number) => {
      const view = await deps.trust.current();
      if (abandoned <= view.version) return full(view);
      if (abandoned > (await deps.latestVersion())) return fullReplacing(view, abandoned);
      deps.trust.invalidate();
      return full(await deps.trust.current());
    };

    app.get(
      '/trust',
      {
        schema: {
          tags: ['trust'],
          querystring: TrustQuery,
          response: { 200: TrustAnswer, ...errorResponses(400, 401, 403, 429, 503) },
        },
        preParsing: app.requireRole(['market_admin', 'gate_staff', 'regulator'], { device: true }),
      },
      async (request) => {
        const { since, issuedAt, rollbackFrom } = request.query;
        if (rollbackFrom !== undefined) return answerRollbackFrom(rollbackFrom);
        if (since === undefined) return full(await deps.trust.current());
        const view = await viewReaching(since);
        const stored = await deps.changesSince(since, view.version);
        // Issued before this history made its version `since`: the gate's is another history's version of the
        // same number (a restore, then changes), and only the whole snapshot is right for it.
        if (issuedAt && stored.sinceAt && Date.parse(issuedAt) < stored.sinceAt.getTime()) return full(view);
        if (since === view.version)
          return { kind: 'current' as const, version: view.version, current: currentAt(view) };
        if (!changesStoredSince(since, stored.oldest)) return full(view);
        const delta = signSnapshotDelta(
          incrementFromChanges(since, view.snapshot, stored),
          deps.rootSigner(),
        );
        return {
          kind: 'delta' as const,
          fromVersion: since,
          version: view.version,
          delta,
          current: currentAt(view),
        };
      },
    );
  };
