import { describe, expect, it } from 'vitest';
import { documentId } from '../../src/lot/document-id.ts';

describe('lot document ids', () => {
  it('never repeat, even when times are taken out of order', () => {
    const at = [100, 101, 100, 100, 101, 99].map((ms) => new Date(1_773_550_000_000 + ms));
    const ids = Array.from({ length: 2000 }, (_, i) => documentId(at[i % at.length]!));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort by time first', () => {
    const early = documentId(new Date(1_773_550_000_000));
    const late = documentId(new Date(1_773_550_000_001));
    expect(early < late).toBe(true);
  });
});
