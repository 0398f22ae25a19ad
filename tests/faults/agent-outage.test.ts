import { Journal } from '@liangzheng/gate-agent/journal/journal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialSteps, writeScript } from './agent-scripts.ts';
import { exitOf, freshJournalPath, ServerProcess, simulateArgs, spawnAgent } from './agent-server.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await ServerProcess.start();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('agent while the server is down', () => {
  it('keeps scanning, then syncs everything, in order, once the server is back', async () => {
    const reads = 320;
    const { texts, steps } = serialSteps('OUTAGE', reads);
    // 60 ms between reads keeps the agent scanning for ~20 s, well past the moment the server is taken away
    const script = writeScript('outage', steps, 60);
    const journalPath = freshJournalPath();
    const agent = spawnAgent(simulateArgs(server, script, journalPath, ['--drain-seconds', '120']));
    // let it scan and upload until the server holds some scans, then take the server away mid-script
    // (waiting on what arrived, not on a fixed time, keeps this independent of how loaded the machine is)
    await waitUntil(() => server.scans().length >= 10, 90_000);
    await server.stop();
    const storedBeforeOutage = server.scans().length;
    await new Promise((r) => setTimeout(r, 5000));
    await server.start();
    expect(await exitOf(agent), agent.output()).toBe(0);

    const journal = new Journal(journalPath);
    const journalOrder = journal
      .recent(reads)
      .reverse()
      .map((entry) => entry.read.text);
    journal.close();
    expect(journalOrder).toEqual(texts);

    const scans = server.scans();
    const stored = scans.map((scan) => scan.rawText);
    expect(storedBeforeOutage).toBeGreaterThan(0);
    expect(storedBeforeOutage).toBeLessThan(reads);
    // everything arrived, once
    expect([...stored].sort()).toEqual(texts);
    // every record keeps its read time, so the server's records sort into scan order
    const byReadTime = [...scans]
      .sort((a, b) => (a.deviceTime ?? 0) - (b.deviceTime ?? 0))
      .map((s) => s.rawText);
    expect(byReadTime).toEqual(texts);
    // uploads go in journal order; the server may store the scans of different lots in one batch side by side,
    // but within a lot (a truck) the stored order is the scan order
    const perLot = 8;
    const storedIndexes = stored.map((text) => texts.indexOf(text));
    for (let lot = 0; lot * perLot < reads; lot += 1) {
      const ofLot = storedIndexes.filter((index) => Math.floor(index / perLot) === lot);
      expect(ofLot).toEqual([...ofLot].sort((a, b) => a - b));
    }
  }, 240_000);
});
