import type { Clock } from '../clock/clock.ts';
import { ApiProblem } from '../http/error-code.ts';
import type { Db } from '../storage/db.ts';

/** Certificates, scans, lots, violations and their evidence are kept at least this long (MOA Order 2025 No. 4; SAMR Order 81). */
export const RETENTION_MONTHS = 6;

/** The timestamp each retained record's age is measured from. */
export const retainedSince = {
  certificate: 'createdAt',
  scan: 'receivedAt',
  lot: 'openedAt',
  violation: 'createdAt',
  lotDocument: 'createdAt',
  violationEvent: 'at',
  rapidTest: 'testedAt',
} as const;
type RetainedModel = keyof typeof retainedSince;

export function retentionCutoff(now: Date): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - RETENTION_MONTHS);
  return cutoff;
}

const isRetained = (model: string): model is RetainedModel => model in retainedSince;
const delegateName = (model: string) => model[0]!.toLowerCase() + model.slice(1);

type CountDelegate = { count(args: { where: unknown }): Promise<number> };

/**
 * The client with a guard on deleting retained records: a delete or deleteMany that would touch any certificate,
 * scan, lot or violation younger than six months is refused with RETENTION_PERIOD and deletes nothing.
 */
export function retentionGuarded(db: Db, clock: Clock): Db {
  async function refuseYoung(model: string, where: unknown): Promise<void> {
    const name = delegateName(model);
    if (!isRetained(name)) return;
    const delegate = (db as unknown as Record<string, CountDelegate>)[name]!;
    const young = await delegate.count({
      where: { AND: [where ?? {}, { [retainedSince[name]]: { gte: retentionCutoff(clock.now()) } }] },
    });
    if (young > 0) {
      throw new ApiProblem(
        'RETENTION_PERIOD',
        `${name} records younger than ${RETENTION_MONTHS} months cannot be deleted`,
      );
    }
  }
  return db.$extends({
    query: {
      $allModels: {
        async delete({ model, args, query }) {
          await refuseYoung(model, args.where);
          return query(args);
        },
        async deleteMany({ model, args, query }) {
          await refuseYoung(model, args?.where);
          return query(args);
        },
      },
    },
  }) as unknown as Db;
}
