import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerProcess } from '../faults/agent-server.ts';

/*
 * `npm start` with LIANGZHENG_SIMULATE_GATE=1: server/src/main.ts itself, which spawns `gate-agent simulate`
 * with the demo script against itself once it listens. Everything real: server, agent, ffmpeg, SQLite.
 */
/** `#step input 中文 outcome [REASONS] text`, as `gate-agent simulate` prints a read (reasons may be empty) */
const gateLine =
  /^ {2}\[模拟闸口 simulated gate\] #(\d+) (\w+)\s+\S+ (accept|review|reject)\s+(?:([A-Z_,]+)\s+)?\S+$/;

/** One line per read step of gate-agent/simulate/demo-gate.json: step, input, verdict, reasons. */
const expectedSteps = [
  ['1', 'wedge', 'accept', ''],
  ['2', 'wedge', 'accept', 'DUPLICATE_READ'],
  ['4', 'wedge', 'accept', ''],
  ['6', 'hid', 'accept', ''],
  ['8', 'camera', 'accept', ''],
  ['10', 'manual', 'review', 'UNVERIFIABLE'],
  ['12', 'wedge', 'review', 'UNVERIFIABLE'],
  ['14', 'wedge', 'review', 'MALFORMED'],
];

let server: ServerProcess;
beforeAll(async () => {
  server = await ServerProcess.start({
    LIANGZHENG_SIMULATE_GATE: '1',
    LIANGZHENG_ADMIN_PASSWORD: 'demo-gate-test-admin',
  });
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

describe('npm start with LIANGZHENG_SIMULATE_GATE=1', () => {
  it('plays the demo script once: every input kind, the camera one included, gets its verdict', async () => {
    await server.waitForLog(/\[模拟闸口 simulated gate\] done \(exit (\d+)\)/, 150_000);
    expect(server.log).toContain('done (exit 0)');
    const steps = server.log.split('\n').flatMap((line) => {
      const match = gateLine.exec(line);
      return match ? [[match[1], match[2], match[3], match[4] ?? '']] : [];
    });
    expect(steps).toEqual(expectedSteps);
    expect(server.log).toMatch(
      /8 scans \(\+\d+ repeats kept locally\), acked 8, conflict 0, refused 0, unsent 0/,
    );
    // the server's own verdicts agree, and the camera read reached it as a camera scan
    expect(server.scans().map((scan) => [scan.source, scan.outcome, scan.reasons.join()])).toEqual(
      expectedSteps.map(([, source, outcome, reasons]) => [source, outcome, reasons]),
    );
  }, 180_000);

  it('stops the simulated gate when the server stops, and plays again on the next start', async () => {
    await server.stop();
    await server.start();
    const [, pid] = await server.waitForLog(/Simulated gate \(pid (\d+)\)/, 60_000);
    await server.waitForLog(/\[模拟闸口 simulated gate\] #1 /, 60_000);
    await server.stop();
    // gone, or a zombie nobody reaped yet (its parent, the server, has exited)
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 5_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive()).toBe(false);
    expect(server.log).not.toContain('done (exit');
  }, 120_000);
});
