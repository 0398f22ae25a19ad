import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { type RunningAgent, startAgent } from '../../src/main.ts';
import { qrPng, qrVideo } from '../../src/simulate/qr-video.ts';
import { loadScript, SimulationScript } from '../../src/simulate/script.ts';
import { type SimulationProgress, simulate } from '../../src/simulate/simulate.ts';
import { bootReportsReleaseEach } from '../../src/simulate/synthesized-boot-keyboard.ts';

/** Shaped like a demo server's code; these steps only read it, so no server has to have issued it. */
const demoCode = 'HTTPS://LZ.DEMO.CN/V/LZ1L1BZGBSI+RSPIK+0WMQ3DZFQEU-7SK$5QSWZ:0*A.B%C D/E';
const cabbage = {
  kind: 'lot',
  declaration: { productName: '大白菜', category: 'vegetable', quantity: 100, unit: 'kg' },
} as const;

let dir: string;
let agent: RunningAgent;

/** A real agent whose server is away: reads are judged and journaled, uploads wait. */
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lz-sim-steps-'));
  const config = parseConfig(
    {
      server: { url: 'http://127.0.0.1:9', deviceToken: 'simulate-steps-test-token' },
      gateId: 1,
      sound: { output: 'none' },
      journalPath: join(dir, 'journal.sqlite'),
    },
    'test',
    dir,
  );
  if (!config.ok) throw new Error('test config invalid');
  agent = await startAgent(config.config, { statusPage: false, log: () => {} });
});

afterEach(async () => {
  await agent.stop();
});

async function play(steps: unknown[], codes: string[] = []): Promise<SimulationProgress[]> {
  const progress: SimulationProgress[] = [];
  const script = SimulationScript.parse({ name: 'steps', intervalMs: 0, steps: [cabbage, ...steps] });
  await simulate(agent, script, (p) => progress.push(p), codes);
  return progress;
}

const journaled = () => agent.journal.recent(100).reverse();

describe('video step: the camera pipeline through real ffmpeg', () => {
  it('a video made from a demo code is one camera read, decoded by zxing-wasm; other frames are repeats', async () => {
    const progress = await play([{ kind: 'video', demoCode: 0 }], [demoCode]);
    expect(progress).toHaveLength(1);
    expect(progress[0]?.problem).toBeUndefined();
    const reads = journaled().filter((entry) => !entry.repeated);
    expect(reads.map((entry) => entry.read)).toMatchObject([
      {
        text: demoCode,
        source: 'camera',
        symbology: 'QRCode',
        provenance: { decoder: 'zxing-wasm', frameIndex: 0 },
      },
    ]);
    expect(reads[0]?.read.device).toMatch(/^camera:file:.*\.mp4$/);
    expect(progress[0]?.read).toEqual(reads[0]?.read);
    // 1.5 s at 6 fps: the code is in every frame, and every sighting after the first is a repeat
    expect(journaled().filter((entry) => entry.repeated).length).toBeGreaterThanOrEqual(6);
  });

  it('a recorded video named relative to the script goes through the same camera path', async () => {
    const png = await qrPng(dir, 'LZ-RECORDED-0042', 3);
    if (!png.ok) throw new Error(png.detail);
    const video = await qrVideo(png.value, 'noise', { seconds: 1, fps: 5, dir });
    if (!video.ok) throw new Error(video.detail);
    const scriptPath = join(dir, 'recorded.json');
    const steps = [cabbage, { kind: 'video', path: video.value.slice(dir.length + 1) }];
    writeFileSync(scriptPath, JSON.stringify({ name: 'recorded', intervalMs: 0, steps }));
    const loaded = loadScript(scriptPath);
    if (!loaded.ok) throw new Error(loaded.problems.join());
    await simulate(agent, loaded.script);
    const reads = journaled().filter((entry) => !entry.repeated);
    expect(reads.map((entry) => [entry.read.text, entry.read.source, entry.read.device])).toEqual([
      ['LZ-RECORDED-0042', 'camera', `camera:file:${video.value}`],
    ]);
  });

  it('a file that is no video is a step problem (ffmpeg_exited), and the next step still plays', async () => {
    const notVideo = join(dir, 'not-a-video.mp4');
    writeFileSync(notVideo, 'this is text, not H.264');
    const progress = await play([
      { kind: 'video', path: notVideo },
      { kind: 'manual', text: 'HGZ-AFTER-THE-BAD-VIDEO' },
    ]);
    expect(progress.map((p) => [p.read?.text ?? null, p.problem?.code])).toEqual([
      [null, 'ffmpeg_exited'],
      ['HGZ-AFTER-THE-BAD-VIDEO', undefined],
    ]);
    expect(journaled().map((entry) => entry.read.text)).toEqual(['HGZ-AFTER-THE-BAD-VIDEO']);
  });

  it('without ffmpeg the video is not made: FFMPEG_MISSING, not a crash', async () => {
    const png = await qrPng(dir, 'LZ-NO-FFMPEG', 2);
    if (!png.ok) throw new Error(png.detail);
    const video = await qrVideo(png.value, 'clean', {
      seconds: 1,
      fps: 5,
      dir,
      ffmpegPath: join(dir, 'ffmpeg'),
    });
    expect(video).toMatchObject({ ok: false, code: 'FFMPEG_MISSING' });
  });

  it('a demo code that was not issued is DEMO_CODE_UNAVAILABLE, with no read and no video', async () => {
    const progress = await play([{ kind: 'video', demoCode: 2 }], [demoCode]);
    expect(progress).toMatchObject([{ read: null, problem: { code: 'DEMO_CODE_UNAVAILABLE' } }]);
    expect(journaled()).toEqual([]);
  });
});

describe('hid-synthesized step', () => {
  it('types a demo code as boot-keyboard reports that the HID source decodes back, reports kept', async () => {
    const progress = await play([{ kind: 'hid-synthesized', demoCode: 0 }], [demoCode]);
    const synthesized = bootReportsReleaseEach(demoCode);
    if (!synthesized.ok) throw new Error(synthesized.detail);
    expect(progress[0]?.problem).toBeUndefined();
    expect(journaled().map((entry) => entry.read)).toMatchObject([
      {
        text: demoCode,
        source: 'hid',
        // the code ends at the Enter press; the key release after it belongs to no code
        provenance: { decoder: 'boot-keyboard', reports: synthesized.reports.slice(0, -1) },
      },
    ]);
  });

  it('a character no US key types is NOT_TYPABLE, not a crash', async () => {
    const progress = await play([{ kind: 'hid-synthesized', demoCode: 0 }], ['青菜-0042']);
    expect(progress).toMatchObject([{ read: null, problem: { code: 'NOT_TYPABLE' } }]);
  });
});
