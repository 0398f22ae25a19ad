import { type Read, toIso } from './read.ts';

/** A code typed by gate staff from the printed certificate, when nothing can scan it. */
export function manualRead(text: string, operator: string, at: number): Read | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0) return undefined;
  return {
    text: trimmed,
    source: 'manual',
    device: `manual:${operator}`,
    symbology: 'unknown',
    receivedAt: toIso(at),
    provenance: {},
  };
}
