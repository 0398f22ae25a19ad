import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { silentSounder } from '@liangzheng/gate-agent/feedback/sounder';
import { Gate } from '@liangzheng/gate-agent/gate';
import { Journal } from '@liangzheng/gate-agent/journal/journal';
import type { TrustState } from '@liangzheng/gate-agent/verdict/provisional';

/** A gate as the agent runs it: a journal on disk (WAL, synchronous=FULL), real verdicts, no sound. */
export function benchGate(trust: () => TrustState | null, now: () => Date = () => new Date()) {
  const journal = new Journal(join(mkdtempSync(join(tmpdir(), 'lz-bench-gate-')), 'journal.sqlite'));
  const gate = new Gate({
    config: { gateId: 1, maxSnapshotAgeHours: 24 },
    journal,
    clock: { now, local: now },
    sounder: silentSounder,
    ed25519: nodeEd25519,
    trust,
    show: () => {},
    journaled: () => {},
  });
  return { gate, journal };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function printTable(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(`\n${title}\n${line(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of cells.slice(1)) console.log(line(row));
}
