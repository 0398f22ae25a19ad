import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const cabbageLot = {
  kind: 'lot',
  declaration: { productName: '大白菜', category: 'vegetable', quantity: 100, unit: 'kg' },
} as const;

export function writeScript(name: string, steps: unknown[], intervalMs: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'lz-fault-script-')), `${name}.json`);
  writeFileSync(path, JSON.stringify({ name, intervalMs, steps }));
  return path;
}

/** `count` distinct hand-entered serials, a new lot (truck) every `perLot`: each read is recognisable on the server. */
export function serialSteps(
  prefix: string,
  count: number,
  perLot = 8,
): { texts: string[]; steps: unknown[] } {
  const texts = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(5, '0')}`);
  const steps = texts.flatMap((text, i) => [
    ...(i % perLot === 0 ? [cabbageLot] : []),
    { kind: 'manual', text },
  ]);
  return { texts, steps };
}
