import { describe, expect, it } from 'vitest';
import { Journal } from '../../src/journal/journal.ts';
import { systemClock } from '../../src/sync/server-clock.ts';
import { type LotUpload, RecordedTransport, type SubmitResult } from '../../src/sync/transport.ts';
import { Uploader } from '../../src/sync/uploader.ts';
import { entryFor } from '../fixtures.ts';

const acceptAll = (
  batch: readonly { scanId: string }[],
  _call = 0,
  lots: readonly LotUpload[] = [],
): SubmitResult => ({
  ok: true,
  answers: batch.map((u) => ({ scanId: u.scanId, outcome: 'accept', reasons: [] })),
  refusals: [],
  lots: lots.map((lot) => ({ lotId: lot.id, refusal: null })),
  incomplete: false,
});
const down: SubmitResult = { ok: false, error: { code: 'UNREACHABLE', detail: 'ECONNREFUSED' } };
const options = { gateId: 1, batchSize: 3, maxBackoffMs: 50 };

describe('uploader', () => {
  it('sends in journal order, in batches, until the journal is drained', async () => {
    const journal = new Journal(':memory:');
    for (const text of ['a', 'b', 'c', 'd', 'e', 'f', 'g']) journal.record(entryFor(text));
    const transport = new RecordedTransport(acceptAll);
    expect(await new Uploader(journal, [transport], options, systemClock).drain()).toBe('idle');
    expect(transport.sent.map((batch) => batch.map((u) => u.provenance.rawText).join(''))).toEqual([
      'abc',
      'def',
      'g',
    ]);
    expect(journal.counts()).toMatchObject({ acked: 7, pending: 0, sent: 0 });
  });

  it('falls back to the second transport when the first fails, and stops when both fail', async () => {
    const journal = new Journal(':memory:');
    journal.record(entryFor('a'));
    const socket = new RecordedTransport(() => down);
    const http = new RecordedTransport(acceptAll);
    const failures: string[] = [];
    const uploader = new Uploader(journal, [socket, http], options, systemClock, {
      failure: (name, error) => failures.push(`${name}:${error.code}`),
    });
    expect(await uploader.drain()).toBe('idle');
    expect(http.sent).toHaveLength(1);
    expect(failures).toEqual(['recorded:UNREACHABLE']);

    journal.record(entryFor('b'));
    const deadHttp = new RecordedTransport(() => down);
    expect(await new Uploader(journal, [socket, deadHttp], options, systemClock).drain()).toBe('failed');
    expect(journal.unsent(5).map((e) => [e.read.text, e.syncState])).toEqual([['b', 'sent']]);
  });

  it('re-sends a batch that was sent but never acknowledged, with the same scanIds', async () => {
    const journal = new Journal(':memory:');
    const a = journal.record(entryFor('a'));
    await new Uploader(journal, [new RecordedTransport(() => down)], options, systemClock).drain();
    const transport = new RecordedTransport(acceptAll);
    await new Uploader(journal, [transport], options, systemClock).drain();
    expect(transport.sent[0]?.[0]?.scanId).toBe(a.scanId);
    expect(journal.get(a.scanId)?.attempts).toBe(2);
  });

  it('carries the lots a batch needs in that batch, ahead of its scans, and settles them', async () => {
    const journal = new Journal(':memory:');
    const declaration = { productName: '白菜', category: 'vegetable', quantity: 500, unit: 'kg' } as const;
    journal.recordLot({ lotId: 'lot-1', declaration, openedAt: new Date() });
    journal.record({ ...entryFor('a'), lotId: 'lot-1' });
    journal.recordLot({ lotId: 'lot-2', declaration, openedAt: new Date() });
    const transport = new RecordedTransport(acceptAll);
    await new Uploader(journal, [transport], options, systemClock).drain();
    expect(transport.sentLots).toEqual([[{ id: 'lot-1', gateId: 1, declaration }]]);
    // lot-2 has no scans yet: it waits for the batch that carries them
    expect(journal.unsentLots().map((lot) => lot.lotId)).toEqual(['lot-2']);
    expect(transport.sent).toHaveLength(1);
  });

  it('sends a lot again with its scans until the server has answered for it, and keeps a refusal', async () => {
    const journal = new Journal(':memory:');
    const declaration = { productName: '白菜', category: 'vegetable', quantity: 500, unit: 'kg' } as const;
    journal.recordLot({ lotId: 'lot-1', declaration, openedAt: new Date() });
    journal.record({ ...entryFor('a'), lotId: 'lot-1' });
    await new Uploader(journal, [new RecordedTransport(() => down)], options, systemClock).drain();
    expect(journal.unsentLots().map((lot) => lot.lotId)).toEqual(['lot-1']);
    const transport = new RecordedTransport((batch, _call, lots) => ({
      ok: true,
      answers: [],
      refusals: batch.map((u) => ({ scanId: u.scanId, code: 'LOT_NOT_FOUND' })),
      lots: lots.map((lot) => ({ lotId: lot.id, refusal: 'INVALID_REFERENCE' })),
      incomplete: false,
    }));
    expect(await new Uploader(journal, [transport], options, systemClock).drain()).toBe('idle');
    expect(transport.sentLots[0]?.map((lot) => lot.id)).toEqual(['lot-1']);
    expect(journal.unsentLots()).toEqual([]);
    expect(journal.counts()).toMatchObject({ refused: 1, pending: 0, sent: 0 });
  });

  it('never sends a scan whose lot was journaled while the batch was being sent without it', async () => {
    const journal = new Journal(':memory:');
    const declaration = { productName: '白菜', category: 'vegetable', quantity: 500, unit: 'kg' } as const;
    journal.recordLot({ lotId: 'lot-1', declaration, openedAt: new Date() });
    journal.record({ ...entryFor('a'), lotId: 'lot-1' });
    const carried: string[] = [];
    const sentWithLot: string[] = [];
    const transport = new RecordedTransport((batch, call, lots) => {
      for (const lot of lots) carried.push(lot.id);
      sentWithLot.push(...batch.map((u) => `${u.lotId}:${carried.includes(u.lotId)}`));
      // the gate opens the next truck's lot and scans it while this batch is in flight
      if (call === 0) {
        journal.recordLot({ lotId: 'lot-2', declaration, openedAt: new Date() });
        journal.record({ ...entryFor('b'), lotId: 'lot-2' });
      }
      return acceptAll(batch, call, lots);
    });
    await new Uploader(journal, [transport], options, systemClock).drain();
    expect(sentWithLot).toEqual(['lot-1:true', 'lot-2:true']);
  });

  it('sets aside a scan the server refuses for good, and carries on with the next', async () => {
    const journal = new Journal(':memory:');
    const a = journal.record(entryFor('a'));
    journal.record(entryFor('b'));
    const transport = new RecordedTransport((batch) => ({
      ok: true,
      answers: batch.slice(1).map((u) => ({ scanId: u.scanId, outcome: 'accept', reasons: [] })),
      refusals: [{ scanId: a.scanId, code: 'LOT_NOT_FOUND' }],
      lots: [],
      incomplete: false,
    }));
    expect(await new Uploader(journal, [transport], options, systemClock).drain()).toBe('idle');
    expect(journal.get(a.scanId)).toMatchObject({ syncState: 'refused', refusal: 'LOT_NOT_FOUND' });
    expect(journal.counts()).toMatchObject({ acked: 1, refused: 1 });
  });

  it('reports a differing server verdict as a conflict', async () => {
    const journal = new Journal(':memory:');
    const a = journal.record(entryFor('a', 'accept'));
    const conflicts: string[] = [];
    const revoked = new RecordedTransport((batch) => ({
      ok: true,
      answers: batch.map((u) => ({ scanId: u.scanId, outcome: 'reject', reasons: [{ code: 'REVOKED' }] })),
      refusals: [],
      lots: [],
      incomplete: false,
    }));
    await new Uploader(journal, [revoked], options, systemClock, {
      conflict: (entry) => conflicts.push(entry.scanId),
    }).drain();
    expect(conflicts).toEqual([a.scanId]);
  });

  it('keeps retrying in the background and delivers once the server is back', async () => {
    const journal = new Journal(':memory:');
    journal.record(entryFor('a'));
    let serverUp = false;
    const transport = new RecordedTransport((batch) => (serverUp ? acceptAll(batch) : down));
    const uploader = new Uploader(journal, [transport], options, systemClock);
    uploader.start();
    await new Promise((r) => setTimeout(r, 120));
    expect(journal.counts().acked).toBe(0);
    serverUp = true;
    await new Promise((r) => setTimeout(r, 200));
    await uploader.stop();
    expect(journal.counts().acked).toBe(1);
    expect(transport.sent.length).toBeGreaterThan(1);
  });
});
