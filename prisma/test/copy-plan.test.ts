import { describe, expect, it } from 'vitest';
import {
  batchInsertSql,
  foreignKeyOrder,
  sqliteDateTimeMillis,
  toPgValue,
} from '../src/migration/copy-plan.ts';

describe('foreignKeyOrder', () => {
  it('puts every table after the tables it references, ties by name', () => {
    const order = foreignKeyOrder([
      { name: 'Scan', references: ['Lot', 'Device'] },
      { name: 'Lot', references: ['Market'] },
      { name: 'Device', references: ['Gate'] },
      { name: 'Gate', references: ['Market'] },
      { name: 'Market', references: ['Region'] },
      { name: 'Region', references: [] },
      { name: 'AuditLog', references: [] },
    ]);
    expect(order).toEqual(['AuditLog', 'Region', 'Market', 'Gate', 'Lot', 'Device', 'Scan']);
  });

  it('lets a table reference itself and refuses a cycle', () => {
    expect(foreignKeyOrder([{ name: 'Tree', references: ['Tree'] }])).toEqual(['Tree']);
    expect(() =>
      foreignKeyOrder([
        { name: 'A', references: ['B'] },
        { name: 'B', references: ['A'] },
      ]),
    ).toThrow(/cycle among: A, B/);
  });
});

describe('SQLite values for PostgreSQL', () => {
  it('reads the DateTime forms SQLite holds as UTC milliseconds', () => {
    expect(sqliteDateTimeMillis('2026-05-01T08:30:00.123+00:00')).toBe(Date.UTC(2026, 4, 1, 8, 30, 0, 123));
    expect(sqliteDateTimeMillis('2026-05-01T16:30:00.123+08:00')).toBe(Date.UTC(2026, 4, 1, 8, 30, 0, 123));
    expect(sqliteDateTimeMillis('2026-05-01 08:30:00')).toBe(Date.UTC(2026, 4, 1, 8, 30, 0));
    expect(sqliteDateTimeMillis(1_777_624_200_123)).toBe(1_777_624_200_123);
  });

  it('refuses text that is not a DateTime instead of guessing', () => {
    expect(() => sqliteDateTimeMillis('yesterday')).toThrow(/not a SQLite DateTime/);
    expect(() => sqliteDateTimeMillis('2026-05-01')).toThrow(/not a SQLite DateTime/);
  });

  it('sends timestamps as zone-less UTC text, booleans from 0/1, blobs as buffers', () => {
    expect(toPgValue('2026-05-01 08:30:00', 'timestamp')).toBe('2026-05-01T08:30:00.000');
    expect([toPgValue(1, 'bool'), toPgValue(0, 'bool'), toPgValue(null, 'bool')]).toEqual([
      true,
      false,
      null,
    ]);
    expect(toPgValue(Buffer.from([1, 2]), 'bytea')).toEqual(Buffer.from([1, 2]));
    expect(toPgValue(2.5, 'float8')).toBe(2.5);
  });

  it('inserts a batch as one unnest of typed arrays', () => {
    expect(
      batchInsertSql('Scan', [
        { name: 'id', type: 'text' },
        { name: 'receivedAt', type: 'timestamp' },
      ]),
    ).toBe('INSERT INTO "Scan" ("id", "receivedAt") SELECT * FROM unnest($1::text[], $2::timestamp[])');
  });
});
