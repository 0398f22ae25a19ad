import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { describe, expect, it } from 'vitest';
import type { Sounder } from '../src/feedback/sounder.ts';
import { Gate } from '../src/gate.ts';
import { Journal } from '../src/journal/journal.ts';
import { manualRead } from '../src/read/manual.ts';
import { codeText, now, trustState } from './scenario.ts';

function gateWith(
  journal: Journal,
  order: string[],
  trust = trustState(new Date(now.getTime() - 3_600_000)),
) {
  const sounder: Sounder = {
    play: (tone) => order.push(`sound:${tone}:journaled=${journal.counts().total}`),
  };
  return new Gate({
    config: { gateId: 1, maxSnapshotAgeHours: 24 },
    journal,
    clock: { now: () => now, local: () => now },
    sounder,
    ed25519: nodeEd25519,
    trust: () => trust,
    show: (change) =>
      change.last && order.push(`show:${change.last.outcome}:journaled=${journal.counts().total}`),
    journaled: () => order.push(`upload:journaled=${journal.counts().total}`),
  });
}

const readOf = (text: string) => ({ kind: 'read' as const, read: manualRead(text, 'test', now.getTime())! });

describe('gate', () => {
  it('journals a read before it sounds, shows or uploads anything', () => {
    const journal = new Journal(':memory:');
    const order: string[] = [];
    gateWith(journal, order).handle(readOf(codeText()));
    expect(order).toEqual(['sound:accept:journaled=1', 'show:accept:journaled=1', 'upload:journaled=1']);
  });

  it('opens a lot from the certificate when none is declared, and journals the lot first', () => {
    const journal = new Journal(':memory:');
    const entry = gateWith(journal, []).handle(readOf(codeText()))!;
    const lots = journal.unsentLots(100);
    expect(lots).toHaveLength(1);
    expect(lots[0]).toMatchObject({
      lotId: entry.lotId,
      declaration: { productName: '大白菜', quantity: 500 },
    });
  });

  it('judges a declared lot as a whole: a second code for the same certificate is a DUPLICATE_READ notice', () => {
    const journal = new Journal(':memory:');
    const gate = gateWith(journal, []);
    const lot = gate.openLot({ productName: '大白菜', category: 'vegetable', quantity: 40, unit: 'kg' });
    const first = gate.handle(readOf(codeText()))!;
    const second = gate.handle(readOf(codeText()))!;
    expect(first.lotId).toBe(lot.id);
    expect(second.lotId).toBe(lot.id);
    expect(first.verdict.outcome).toBe('accept');
    expect(second.verdict.reasons.map((r) => r.code)).toContain('DUPLICATE_READ');
  });

  it('records a repeated read with its own sound, never queued for upload', () => {
    const journal = new Journal(':memory:');
    const order: string[] = [];
    const gate = gateWith(journal, order);
    gate.handle({ kind: 'repeat', read: readOf('X').read });
    expect(order).toEqual(['sound:repeat:journaled=1']);
    expect(journal.unsent(10)).toEqual([]);
  });
});
