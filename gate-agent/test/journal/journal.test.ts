import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.ts';
import { entryFor } from '../fixtures.ts';

const declaration = { productName: '白菜', category: 'vegetable', quantity: 5, unit: 'kg' } as const;
const tempJournal = () => join(mkdtempSync(join(tmpdir(), 'journal-')), 'journal.sqlite');

describe('journal', () => {
  it('runs in WAL mode with FULL synchronous commits', () => {
    const path = tempJournal();
    const journal = new Journal(path);
    journal.record(entryFor('A'));
    journal.close();
    const db = new Database(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('gives every read its own scanId and keeps it pending until acknowledged', () => {
    const journal = new Journal(':memory:');
    const a = journal.record(entryFor('A'));
    const b = journal.record(entryFor('B'));
    expect(a.scanId).not.toBe(b.scanId);
    expect(a.scanId).toMatch(/^[0-9a-f-]{36}$/);
    expect(journal.unsent(10).map((e) => e.read.text)).toEqual(['A', 'B']);
    journal.markSent([a.scanId]);
    expect(journal.get(a.scanId)?.syncState).toBe('sent');
    journal.acknowledge([{ scanId: a.scanId, outcome: 'accept', reasons: [] }], new Date());
    expect(journal.unsent(10).map((e) => e.read.text)).toEqual(['B']);
    expect(journal.counts()).toMatchObject({ total: 2, pending: 1, acked: 1 });
  });

  it('flags a server verdict that differs from the provisional one as a conflict', () => {
    const journal = new Journal(':memory:');
    const a = journal.record(entryFor('A', 'accept'));
    const conflicts = journal.acknowledge(
      [{ scanId: a.scanId, outcome: 'reject', reasons: [{ code: 'REVOKED' }] }],
      new Date(),
    );
    expect(conflicts.map((c) => c.scanId)).toEqual([a.scanId]);
    expect(journal.get(a.scanId)).toMatchObject({
      syncState: 'conflict',
      serverOutcome: 'reject',
      serverReasons: [{ code: 'REVOKED' }],
    });
    expect(journal.conflicts(5)).toHaveLength(1);
  });

  it('keeps repeated reads for the record but never queues them for upload', () => {
    const journal = new Journal(':memory:');
    journal.record({ ...entryFor('A'), repeated: true });
    expect(journal.unsent(10)).toEqual([]);
    expect(journal.counts()).toMatchObject({ total: 1, local: 1 });
  });

  it('survives reopening: entries, snapshot and metadata persist', () => {
    const path = tempJournal();
    const first = new Journal(path);
    const a = first.record(entryFor('A'));
    first.saveSnapshot({ version: 7, envelope: '{"x":1}', receivedAt: new Date('2026-03-01T00:00:00Z') });
    first.setMeta('k', 'v');
    first.close();
    const second = new Journal(path);
    expect(second.unsent(10).map((e) => e.scanId)).toEqual([a.scanId]);
    expect(second.loadSnapshot()).toEqual({
      version: 7,
      envelope: '{"x":1}',
      receivedAt: new Date('2026-03-01T00:00:00Z'),
    });
    expect(second.getMeta('k')).toBe('v');
    second.close();
  });

  it('finds the last read of the same text for repeated-read suppression', () => {
    const journal = new Journal(':memory:');
    journal.record(entryFor('A', 'accept', new Date('2026-03-01T04:00:00Z')));
    expect(journal.lastReadOf('A', new Date('2026-03-01T03:59:58Z'))).not.toBeNull();
    expect(journal.lastReadOf('A', new Date('2026-03-01T04:00:01Z'))).toBeNull();
    expect(journal.lastReadOf('B', new Date(0))).toBeNull();
  });

  it('opens a journal written before lots carried hand-entered details, keeping its lots', () => {
    const path = tempJournal();
    const old = new Database(path);
    old.exec(`CREATE TABLE lot (seq INTEGER PRIMARY KEY AUTOINCREMENT, lot_id TEXT NOT NULL UNIQUE,
      declaration TEXT NOT NULL, opened_at INTEGER NOT NULL, sync_state TEXT NOT NULL, refusal TEXT)`);
    old
      .prepare(`INSERT INTO lot (lot_id, declaration, opened_at, sync_state) VALUES ('old', ?, 0, 'pending')`)
      .run(JSON.stringify(declaration));
    old.close();
    const journal = new Journal(path);
    journal.recordLot({
      lotId: 'new',
      declaration,
      openedAt: new Date(1),
      arrival: { plate: '湘A1', supplier: '', noCertificate: true, documents: [] },
    });
    expect(
      journal.unsentLots(10).map((lot) => [lot.lotId, lot.arrival.plate, lot.arrival.noCertificate]),
    ).toEqual([
      ['old', '', false],
      ['new', '湘A1', true],
    ]);
    journal.close();
  });

  it('reads pending lots through an index of pending lots only, so settled ones cost nothing', () => {
    const path = tempJournal();
    const journal = new Journal(path);
    for (let i = 0; i < 50; i++) journal.recordLot({ lotId: `l${i}`, declaration, openedAt: new Date(i) });
    journal.settleLots(Array.from({ length: 45 }, (_, i) => ({ lotId: `l${i}`, refusal: null })));
    expect(journal.unsentLots(3).map((lot) => lot.lotId)).toEqual(['l45', 'l46', 'l47']);
    expect(journal.pendingLotCount()).toBe(5);
    expect([...journal.pendingAmong(['l1', 'l46', 'l49', 'nope'])].sort()).toEqual(['l46', 'l49']);
    journal.close();
    const db = new Database(path, { readonly: true });
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT * FROM lot WHERE sync_state = 'pending' ORDER BY seq LIMIT 3`)
      .all() as { detail: string }[];
    db.close();
    expect(plan.map((step) => step.detail).join('\n')).toContain('lot_pending');
  });
});
