import pg from 'pg';
import { beforeAll, describe } from 'vitest';
import { parseDatabaseUrl, redact } from '../../src/database-url.ts';

/** The admin connection the PostgreSQL tests create and drop their databases through. */
export const pgServerUrl = process.env.PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const target = parseDatabaseUrl(url);
  if (target.kind !== 'postgresql') return false;
  const client = new pg.Client({ ...target.connection, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const available = await reachable(pgServerUrl);
const inCi = process.env.CI === 'true';
if (!available && !inCi) {
  console.warn(
    `SKIPPED PostgreSQL tests: no server at ${redact(pgServerUrl)} (set PG_URL; with CI=true they fail)`,
  );
}

/**
 * `describe` for suites that need PostgreSQL: skipped with a printed notice when the server is unreachable,
 * except under CI=true, where each suite fails instead.
 */
export function describePg(name: string, suite: () => void): void {
  if (!available && !inCi) {
    describe.skip(name, suite);
    return;
  }
  describe(name, () => {
    beforeAll(() => {
      if (!available) throw new Error(`CI=true and PostgreSQL is unreachable at ${redact(pgServerUrl)}`);
    });
    suite();
  });
}
