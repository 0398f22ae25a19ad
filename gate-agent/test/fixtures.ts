import type { NewJournalEntry, Outcome } from '../src/journal/journal.ts';

/** A journal entry as the agent would write it for `text`, with an explicit provisional outcome. */
export function entryFor(text: string, outcome: Outcome = 'accept', at = new Date('2026-03-01T04:00:00Z')) {
  const entry: NewJournalEntry = {
    read: {
      source: 'hid',
      device: 'hid:0c2e:0b61',
      text,
      symbology: 'qr',
      receivedAt: at.toISOString(),
      provenance: { decoder: 'hid-pos', reports: ['0200001e'] },
    },
    verdict: {
      outcome,
      reasons: outcome === 'accept' ? [] : [{ code: 'UNVERIFIABLE' }],
      codeKind: 'liangzheng',
      certificateId: null,
      snapshotVersion: 3,
    },
    lotId: 'lot-1',
    deviceTime: at,
    serverTime: at,
    repeated: false,
  };
  return entry;
}
