import { describe, expect, it } from 'vitest';
import { toProblem } from '../../src/http/error-handler.ts';
import { createPgScanReads, ScanReadUnreachable } from '../../src/scan/scan-reads.pg.ts';

// The reads themselves run in every scan test under LZ_TEST_DB=postgresql; this is the outage path.
describe('raw pg scan reads', () => {
  it('reports a server it cannot reach as unavailable (503), not as an internal error', async () => {
    const reads = createPgScanReads('postgres://postgres@127.0.0.1:1/none');
    const failure = await reads.answered('00000000-0000-4000-8000-000000000000').catch((error) => error);
    await reads.close();
    expect(failure).toBeInstanceOf(ScanReadUnreachable);
    expect(toProblem(failure).code).toBe('DATABASE_UNAVAILABLE');
  });

  it('refuses a SQLite URL', () => {
    expect(() => createPgScanReads('file:/tmp/x.db')).toThrow(/postgres/);
  });
});
