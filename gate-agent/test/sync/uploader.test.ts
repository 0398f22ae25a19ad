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
const declaration = { productName: '白菜', category: 'vegetable', quantity: 500, unit: 'kg' } as const;

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

  it('sends every journaled lot in journal order, with or without scans, ahead of the scans', async () => {
    const journal = new Journal(':memory:');
    const arrived = [new Date('2026-11-29T03:10:00Z'), new Date('2026-11-29T03:12:00Z')];
    journal.recordLot({ lotId: 'lot-1', declaration, openedAt: arrived[0]! });
    journal.record({ ...entryFor('a'), lotId: 'lot-1' });
    journal.recordLot({ lotId: 'lot-2', declaration, openedAt: arrived[1]! });
    const transport = new RecordedTransport(acceptAll);
    await new Uploader(journal, [transport], options, systemClock).drain();
    // each with the time it was journaled, so the server's open-lot limit runs from the arrival
    expect(transport.sentLots).toEqual([
      [
        { id: 'lot-1', gateId: 1, declaration, arrivedAt: '2026-11-29T03:10:00.000Z' },
        { id: 'lot-2', gateId: 1, declaration, arrivedAt: '2026-11-29T03:12:00.000Z' },
      ],
    ]);
    // lot-2 never gets a scan: the server still hears of it, so its sweep can judge it MISSING
    expect(journal.unsentLots(100)).toEqual([]);
    expect(transport.sent).toEqual([[expect.objectContaining({ lotId: 'lot-1' })]]);
  });

  it('batches lots that have no scans, oldest first, and settles each once', async () => {
    const journal = new Journal(':memory:');
    const ids = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7'];
    for (const lotId of ids) journal.recordLot({ lotId, declaration, openedAt: new Date() });
    const transport = new RecordedTransport(acceptAll);
    expect(await new Uploader(journal, [transport], options, systemClock).drain()).toBe('idle');
    expect(transport.sentLots.map((lots) => lots.map((lot) => lot.id))).toEqual([
      ['l1', 'l2', 'l3'],
      ['l4', 'l5', 'l6'],
      ['l7'],
    ]);
    expect(transport.sent.every((scans) => scans.length === 0)).toBe(true);
    expect(await new Uploader(journal, [transport], options, systemClock).drain()).toBe('idle');
    expect(transport.sentLots).toHaveLength(3);
  });

  it('holds back a scan (and the scans after it) whose lot waits for a later batch', async () => {
    const journal = new Journal(':memory:');
    for (const lotId of ['l1', 'l2', 'l3', 'l4'])
      journal.recordLot({ lotId, declaration, openedAt: new Date() });
    journal.record({ ...entryFor('a'), lotId: 'l1' });
    journal.record({ ...entryFor('b'), lotId: 'l4' });
    journal.record({ ...entryFor('c'), lotId: 'l1' });
    const seen = new Set<string>();
    const order: string[] = [];
    const transport = new RecordedTransport((batch, call, lots) => {
      for (const lot of lots) seen.add(lot.id);
      for (const scan of batch) order.push(`${scan.provenance.rawText}:${seen.has(scan.lotId)}`);
      return acceptAll(batch, call, lots);
    });
    await new Uploader(journal, [transport], options, systemClock).drain();
    expect(transport.sentLots.map((lots) => lots.map((lot) => lot.id))).toEqual([['l1', 'l2', 'l3'], ['l4']]);
    expect(order).toEqual(['a:true', 'b:true', 'c:true']);
  });

  it('re-sends a lot the server never answered for under the same id, and never one it settled', async () => {
    const journal = new Journal(':memory:');
    journal.recordLot({ lotId: 'l1', declaration, openedAt: new Date() });
    await new Uploader(journal, [new RecordedTransport(() => down)], options, systemClock).drain();
    journal.recordLot({ lotId: 'l2', declaration, openedAt: new Date() });
    const transport = new RecordedTransport(acceptAll);
    await new Uploader(journal, [transport], options, systemClock).drain();
    journal.recordLot({ lotId: 'l3', declaration, openedAt: new Date() });
    await new Uploader(journal, [transport], options, systemClock).drain();
    expect(transport.sentLots.map((lots) => lots.map((lot) => lot.id))).toEqual([['l1', 'l2'], ['l3']]);
  });

  it('sends what staff entered by hand with the lot, and keeps paper photos within one batch body', async () => {
    const journal = new Journal(':memory:');
    const photo = 'A'.repeat(190_000);
    const fields = {
      productName: '白菜',
      quantity: 500,
      unit: 'kg',
      origin: '湖南长沙',
      issuerName: '某合作社',
      contact: '13800000000',
      issuedOn: '2026-03-01',
      basis: 'quality_control',
    } as const;
    for (const lotId of ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12']) {
      journal.recordLot({
        lotId,
        declaration,
        openedAt: new Date(),
        arrival: {
          plate: '湘A12345',
          supplier: '',
          noCertificate: false,
          documents: [{ type: 'paper', fields, photo }],
        },
      });
    }
    const transport = new RecordedTransport(acceptAll);
    await new Uploader(journal, [transport], { ...options, batchSize: 200 }, systemClock).drain();
    expect(transport.sentLots.map((lots) => lots.length)).toEqual([10, 2]);
    expect(transport.sentLots[0]?.[0]).toEqual({
      id: 'p1',
      gateId: 1,
      declaration,
      plate: '湘A12345',
      documents: [{ type: 'paper', fields, photo }],
      arrivedAt: expect.any(String),
    });
  });

  it('sends a lot again with its scans until the server has answered for it, and keeps a refusal', async () => {
    const journal = new Journal(':memory:');
    journal.recordLot({ lotId: 'lot-1', declaration, openedAt: new Date() });
    journal.record({ ...entryFor('a'), lotId: 'lot-1' });
    await new Uploader(journal, [new RecordedTransport(() => down)], options, systemClock).drain();
    expect(journal.unsentLots(100).map((lot) => lot.lotId)).toEqual(['lot-1']);
    const transport = new RecordedTransport((batch, _call, lots) => ({
      ok: true,
      answers: [],
      refusals: batch.map((u) => ({ scanId: u.scanId, code: 'LOT_NOT_FOUND' })),
      lots: lots.map((lot) => ({ lotId: lot.id, refusal: 'INVALID_REFERENCE' })),
      incomplete: false,
    }));
    expect(await new Uploader(journal, [transport], options, systemClock).drain()).toBe('idle');
    expect(transport.sentLots[0]?.map((lot) => lot.id)).toEqual(['lot-1']);
    expect(journal.unsentLots(100)).toEqual([]);
    expect(journal.counts()).toMatchObject({ refused: 1, pending: 0, sent: 0 });
  });

  it('never sends a scan whose lot was journaled while the batch was being sent without it', async () => {
    const journal = new Journal(':memory:');
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
