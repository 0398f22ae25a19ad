import { describe, expect, it } from 'vitest';
import type { TrustData } from '../../src/trust/trust-data.ts';
import { createTrustSource } from '../../src/trust/trust-source.ts';

const emptyData = (version: number): TrustData => ({
  version,
  keys: [],
  issuers: [],
  products: [],
  revoked: [],
  unverifiedSources: [],
  ruleSetBody: null,
});

describe('trust source', () => {
  it('asks the database for the latest version once for all scans arriving while it asks', async () => {
    let now = 0;
    let version = 1;
    const checks: ((v: number) => void)[] = [];
    let loads = 0;
    const source = createTrustSource({
      load: async () => {
        loads++;
        return emptyData(version);
      },
      latestVersion: () => new Promise<number>((resolve) => checks.push(resolve)),
      now: () => new Date(now),
      validForHours: 72,
      codeHosts: ['LZ.DEMO.CN'],
      recheckMs: 1000,
    });
    expect((await source.current()).version).toBe(1);
    now = 1500;
    const waiting = Array.from({ length: 20 }, () => source.current());
    expect(checks).toHaveLength(1);
    checks[0]!(1);
    expect((await Promise.all(waiting)).map((view) => view.version)).toEqual(Array(20).fill(1));
    expect(loads).toBe(1);

    // a newer version found by the check is built once, and handed to everyone who waited on the check
    now = 3000;
    version = 2;
    const afterChange = Array.from({ length: 5 }, () => source.current());
    expect(checks).toHaveLength(2);
    checks[1]!(2);
    expect((await Promise.all(afterChange)).map((view) => view.version)).toEqual(Array(5).fill(2));
    expect(loads).toBe(2);
  });
});
