import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Journal } from '@liangzheng/gate-agent/journal/journal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialSteps, writeScript } from './agent-scripts.ts';
import { exitOf, ServerProcess, spawnAgent } from './agent-server.ts';

let server: ServerProcess;
beforeAll(async () => {
  server = await ServerProcess.start();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('agent while the server is down', () => {
  it('keeps scanning, then syncs everything, in order, once the server is back', async () => {
    const reads = 200;
    const { texts, steps } = serialSteps('OUTAGE', reads);
    const script = writeScript('outage', steps, 25);
    const journalPath = join(mkdtempSync(join(tmpdir(), 'lz-fault-agent-')), 'journal.sqlite');
    const agent = spawnAgent([
      script,
      '--server',
      server.url,
      '--gate',
      String(server.demoGateId()),
      '--root-key',
      server.rootPublicKey(),
      '--journal',
      journalPath,
      '--no-status-page',
      '--drain-seconds',
      '120',
    ]);
    // let it scan and upload for a while, then take the server away in the middle of the script
    await new Promise((r) => setTimeout(r, 3500));
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
    // uploads go in journal order; only scans in flight when the link died (one window) may land out of order
    const window = 32;
    const displacement = stored.map((text, position) => Math.abs(texts.indexOf(text) - position));
    expect(Math.max(...displacement)).toBeLessThanOrEqual(window);
  }, 240_000);
});
