import { Journal } from '@liangzheng/gate-agent/journal/journal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cabbageLot, writeScript } from './agent-scripts.ts';
import { exitOf, freshJournalPath, ServerProcess, simulateArgs, spawnAgent } from './agent-server.ts';

let server: ServerProcess;
let codes: string[];
beforeAll(async () => {
  server = await ServerProcess.start();
  // certificates issued just now: a gate clock hours behind would see them as issued in the future
  codes = [await server.issueCode(), await server.issueCode({ quantity: 800 })];
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

const hour = 3_600_000;

describe('agent with a skewed clock', () => {
  for (const skewHours of [-6, 9]) {
    it(`judges and files scans correctly with the gate clock ${skewHours} h off`, async () => {
      const journalPath = freshJournalPath();
      const steps = codes.flatMap((text) => [cabbageLot, { kind: 'manual', text }]);
      const startedAt = Date.now();
      const agent = spawnAgent(
        simulateArgs(server, writeScript('skew', steps, 50), journalPath, [
          '--clock-skew-hours',
          String(skewHours),
        ]),
      );
      expect(await exitOf(agent), agent.output()).toBe(0);
      const finishedAt = Date.now();

      const journal = new Journal(journalPath);
      const entries = journal.recent(10).reverse();
      journal.close();
      expect(entries).toHaveLength(codes.length);
      for (const entry of entries) {
        // the provisional verdict was reached on the corrected clock: the same as the server's
        expect(entry.verdict.outcome, JSON.stringify(entry.verdict.reasons)).toBe('accept');
        expect(entry.syncState).toBe('acked');
        // the gate's own clock is kept as it was, and the corrected time as the server's
        expect(entry.deviceTime.getTime() - entry.serverTime.getTime()).toBeGreaterThan(
          skewHours * hour - 60_000,
        );
        expect(entry.deviceTime.getTime() - entry.serverTime.getTime()).toBeLessThan(
          skewHours * hour + 60_000,
        );
      }

      const stored = server
        .scans()
        .filter((scan) => codes.includes(scan.rawText))
        .slice(-codes.length);
      expect(stored).toHaveLength(codes.length);
      for (const scan of stored) {
        expect(scan.conflict).toBe(0);
        expect(scan.outcome).toBe('accept');
        // filed at the real time of the read, not hours off
        expect(scan.deviceTime).toBeGreaterThan(startedAt - 5_000);
        expect(scan.deviceTime).toBeLessThan(finishedAt + 5_000);
      }
    }, 120_000);
  }
});
