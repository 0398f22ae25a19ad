import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { isCopiedTable, sqliteTableOrder } from '../../src/migration/copy.ts';
import { applyMigrations } from '../../src/migration/deploy.ts';
import { schemaPaths } from '../../src/schema-files.ts';
import { openRawSqlite } from '../../src/sqlite.ts';
import { scratchSqliteUrl } from './scratch-file.ts';

const scratch = scratchSqliteUrl();
afterAll(() => scratch.remove());

it('orders every copied model of schema.prisma (all but the figures summary) after the models it references, from the migrated catalog', async () => {
  await applyMigrations(scratch.url);
  const db = openRawSqlite(scratch.url);
  try {
    const order = sqliteTableOrder(db);
    const models = [...readFileSync(schemaPaths.sqlite, 'utf8').matchAll(/^model (\w+) \{/gm)]
      .map((m) => m[1] ?? '')
      .filter(isCopiedTable);
    expect([...order].sort()).toEqual([...models].sort());
    for (const table of order) {
      const references = db.pragma(`foreign_key_list("${table}")`) as { table: string }[];
      for (const { table: referenced } of references) {
        expect(order.indexOf(referenced), `${table} → ${referenced}`).toBeLessThan(order.indexOf(table));
      }
    }
    expect(order.indexOf('Lot')).toBeGreaterThan(order.indexOf('Market'));
  } finally {
    db.close();
  }
});
