import { Journal } from '@liangzheng/gate-agent/journal/journal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serialSteps, writeScript } from './agent-scripts.ts';
import { exitOf, freshJournalPath, ServerProcess, simulateArgs, spawnAgent } from './agent-server.ts';

const kills = Number(process.env.AGENT_KILLS ?? 100);
const reads = 400;

let server: ServerProcess;
beforeAll(async () => {
  server = await ServerProcess.start();
}, 120_000);
afterAll(async () => {
  await server?.stop();
});

describe('agent under kill -9', () => {
  it(`loses and duplicates nothing across ${kills} kills while scanning and syncing`, async () => {
    const { texts, steps } = serialSteps('KILL', reads);
    const script = writeScript('kill', steps, 4);
    const journalPath = freshJournalPath();
    const args = simulateArgs(server, script, journalPath, ['--drain-seconds', '60']);
    for (let i = 0; i < kills; i++) {
      const agent = spawnAgent(args);
      // anywhere from start-up (about 1.2 s here) through scanning and syncing
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 1700));
      agent.kill('SIGKILL');
      await exitOf(agent);
    }
    const last = spawnAgent(args);
    const code = await exitOf(last);
    expect(code, last.output()).toBe(0);

    const journal = new Journal(journalPath);
    const counts = journal.counts();
    const refusals = journal.recent(reads).flatMap((entry) => (entry.refusal ? [entry.refusal] : []));
    journal.close();
    // every step journaled exactly once, whatever moment the kills hit, and every one taken by the server
    expect(counts.total).toBe(reads);
    expect(refusals).toEqual([]);
    expect(counts.acked + counts.conflict).toBe(reads);

    const stored = server.scans().map((scan) => scan.rawText);
    expect(stored).toHaveLength(reads);
    expect(new Set(stored).size).toBe(reads);
    expect([...stored].sort()).toEqual(texts);
  }, 600_000);
});
