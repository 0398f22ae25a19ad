import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cameraDecoder } from '../camera/camera-decoder.ts';
import { cameraSource } from '../camera/camera-source.ts';
import { ffmpegFrameProvider } from '../camera/ffmpeg-frames.ts';
import type { FrameDecoder } from '../camera/frame-decoder.ts';
import type { RunningAgent } from '../main.ts';
import { manualRead } from '../read/manual.ts';
import type { Clock, Read } from '../read/read.ts';
import type { SourceErrorCode, SourceEvent } from '../read/source-event.ts';
import { hidScannerSource } from '../scanner/hid/hid-scanner-source.ts';
import { ReplayHidProvider } from '../scanner/hid/replay-hid-provider.ts';
import type { Keystroke } from '../scanner/wedge/keystroke.ts';
import { replayKeystrokes } from '../scanner/wedge/keystroke-input.ts';
import { wedgeSource } from '../scanner/wedge/wedge-source.ts';
import { type QrVideoError, qrPng, qrVideo, videoSize } from './qr-video.ts';
import type { SimulationScript, Step } from './script.ts';
import { bootReportsReleaseEach } from './synthesized-boot-keyboard.ts';

type ReadStep = Exclude<Step, { kind: 'lot' } | { kind: 'wait' }>;

/** Why a read step gave no read; the simulation reports it and goes on with the next step. */
export interface StepProblem {
  code:
    | 'DEMO_CODE_UNAVAILABLE'
    | 'NOT_TYPABLE'
    | 'NO_READ'
    | 'NO_CODE_IN_VIDEO'
    | QrVideoError['code']
    | SourceErrorCode;
  detail: string;
}

interface StepOutcome {
  read: Read | null;
  problem?: StepProblem;
}

/** What read steps need besides the step: the agent's input, its clock, demo codes and the camera decoder. */
interface ReadContext {
  deliver: (event: SourceEvent) => void;
  clock: Clock;
  demoCodes: readonly string[];
  decoder: FrameDecoder;
  /** a folder for videos made during this run, created on first use */
  videoDir: () => Promise<string>;
}

/** A generated video shows the code for 1.5 s, about as long as a driver holds a certificate up to the camera. */
const generatedVideo = { seconds: 1.5, fps: 6, modulePx: 4 } as const;
/** the ids of the keyboard-mode scanner in fixtures/hid/synthetic-boot-keyboard */
const synthesizedScanner = { vendorId: 0x0c2e, productId: 0x0b61, usagePage: 1 } as const;

/** Runs one step through the same sources the agent runs, so simulated reads take the real decode path. */
async function playReadStep(step: ReadStep, context: ReadContext): Promise<StepOutcome> {
  const at = context.clock();
  switch (step.kind) {
    case 'manual': {
      const read = manualRead(step.text, 'simulate', at);
      if (read) context.deliver({ kind: 'read', read });
      return read ? { read } : failed({ code: 'NO_READ', detail: 'empty manual entry' });
    }
    case 'keys':
      return delivered(await typeKeys(step.text, step.interKeyMs, at), context);
    case 'demo-code': {
      // a demo code is scanned the way most gates read codes: a keyboard-wedge scanner
      const code = context.demoCodes[step.index];
      if (code === undefined) return unavailable(step.index);
      return delivered(await typeKeys(code, 4, at), context);
    }
    case 'hid':
      return delivered(await replayReports(step, step.reports, at), context);
    case 'hid-synthesized': {
      const code = context.demoCodes[step.demoCode];
      if (code === undefined) return unavailable(step.demoCode);
      const synthesized = bootReportsReleaseEach(code);
      if (!synthesized.ok) return failed(synthesized);
      return delivered(await replayReports(synthesizedScanner, synthesized.reports, at), context);
    }
    case 'video': {
      if (step.path !== undefined) {
        const size = { width: step.width ?? videoSize.width, height: step.height ?? videoSize.height };
        return watchVideo(step.path, size, context);
      }
      const code = context.demoCodes[step.demoCode ?? -1];
      if (code === undefined) return unavailable(step.demoCode ?? -1);
      const dir = await context.videoDir();
      const png = await qrPng(dir, code, generatedVideo.modulePx);
      if (!png.ok) return failed(png);
      const video = await qrVideo(png.value, step.distortion ?? 'clean', { ...generatedVideo, dir });
      if (!video.ok) return failed(video);
      return watchVideo(video.value, videoSize, context);
    }
  }
}

const failed = ({ code, detail }: StepProblem): StepOutcome => ({ read: null, problem: { code, detail } });

const unavailable = (index: number): StepOutcome =>
  failed({ code: 'DEMO_CODE_UNAVAILABLE', detail: `demo code #${index} was not issued` });

function delivered(event: SourceEvent | null, context: ReadContext): StepOutcome {
  if (!event || event.kind === 'status') {
    return failed({ code: 'NO_READ', detail: 'the input decoded nothing within a second' });
  }
  context.deliver(event);
  return { read: event.read };
}

/** A keyboard-wedge scanner typing `text` with `interKeyMs` between keys, then Enter. */
function typeKeys(text: string, interKeyMs: number, at: number): Promise<SourceEvent | null> {
  const keys: Keystroke[] = [...text].map((char, i) => ({ char, at: at + i * interKeyMs }));
  keys.push({ terminator: 'enter', at: at + text.length * interKeyMs });
  return firstRead(wedgeSource(replayKeystrokes('simulate:wedge', keys), { clock: () => at }));
}

/** A USB scanner sending `reports` (hex) through the HID source, boot-keyboard or HID POS by its ids. */
function replayReports(
  scanner: { vendorId: number; productId: number; usagePage?: number | undefined },
  reports: string[],
  at: number,
): Promise<SourceEvent | null> {
  const provider = new ReplayHidProvider();
  const path = `simulate-${scanner.vendorId}-${scanner.productId}`;
  provider.plug({
    path,
    vendorId: scanner.vendorId,
    productId: scanner.productId,
    ...(scanner.usagePage === undefined ? {} : { usagePage: scanner.usagePage }),
  });
  const source = hidScannerSource(provider, {
    keyboardScanners: [{ vendorId: scanner.vendorId, productId: scanner.productId }],
    pollMs: 60_000,
    clock: () => at,
  });
  const read = firstRead(source);
  source.poll();
  provider.replay(path, reports);
  return read;
}

/** The first read a source emits (or null when it ends within a second without one). */
function firstRead(source: { start(listener: (event: SourceEvent) => void): void; stop(): Promise<void> }) {
  return new Promise<SourceEvent | null>((resolve) => {
    const timer = setTimeout(() => finish(null), 1000);
    const finish = (event: SourceEvent | null) => {
      clearTimeout(timer);
      void source.stop();
      resolve(event);
    };
    source.start((event) => {
      if (event.kind === 'read') finish(event);
    });
  });
}

/**
 * The gate camera watching a video to its end, through the agent's own camera path: ffmpeg frames, the live
 * decoder, repeat suppression. Every read and repeat goes to the agent as it happens, as in `gate-agent run`;
 * one code in view for the whole video is one read and repeats.
 */
function watchVideo(
  path: string,
  size: { width: number; height: number },
  context: ReadContext,
): Promise<StepOutcome> {
  const source = cameraSource(ffmpegFrameProvider({ kind: 'file', path }, size), context.decoder, {
    restart: false,
    clock: context.clock,
  });
  return new Promise((resolve) => {
    let read: Read | null = null;
    let failure: StepProblem | undefined;
    source.start((event) => {
      if (event.kind !== 'status') {
        read ??= event.kind === 'read' ? event.read : null;
        context.deliver(event);
        return;
      }
      if (event.error) failure ??= { code: event.error.code, detail: event.error.detail };
      if (event.status !== 'disconnected') return;
      void source.stop().then(() => {
        resolve(read ? { read } : failed(failure ?? { code: 'NO_CODE_IN_VIDEO', detail: path }));
      });
    });
  });
}

export interface SimulationProgress {
  step: number;
  read: Read | null;
  skipped: boolean;
  problem?: StepProblem;
}

/**
 * Plays a script against a running agent. Resumable: after a crash, steps whose read (or lot) is already in
 * the journal are skipped, so a restarted simulation never scans the same step twice.
 */
export async function simulate(
  agent: RunningAgent,
  script: SimulationScript,
  onStep: (progress: SimulationProgress) => void = () => {},
  demoCodes: readonly string[] = [],
): Promise<void> {
  const runId = agent.journal.getMeta('simulation_run') ?? crypto.randomUUID().slice(0, 8);
  agent.journal.setMeta('simulation_run', runId);
  // repeats (a camera sees one code in many frames) are journaled for the record: they are not steps
  const journaled = agent.journal.counts();
  const readsDone = journaled.total - journaled.local;
  const lotsDone = agent.journal.lotCount();
  let videoDir: Promise<string> | undefined;
  const context: ReadContext = {
    deliver: (event) => agent.handle(event),
    clock: () => agent.clock.local().getTime(),
    demoCodes,
    decoder: cameraDecoder(),
    videoDir: () => {
      videoDir ??= mkdtemp(join(tmpdir(), 'lz-sim-video-'));
      return videoDir;
    },
  };
  let reads = 0;
  let lots = 0;
  try {
    for (const [index, step] of script.steps.entries()) {
      if (step.kind === 'wait') {
        await new Promise((resolve) => setTimeout(resolve, step.ms));
        continue;
      }
      if (step.kind === 'lot') {
        const id = step.id ?? `sim-${runId}-${lots}`;
        if (lots < lotsDone) agent.gate.resumeLot(id, step.declaration);
        else agent.gate.openLot(step.declaration, id);
        lots++;
        continue;
      }
      if (reads < readsDone) {
        reads++;
        onStep({ step: index, read: null, skipped: true });
        continue;
      }
      const outcome = await playReadStep(step, context);
      reads++;
      onStep({ step: index, skipped: false, ...outcome });
      if (script.intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, script.intervalMs));
    }
  } finally {
    if (videoDir) await rm(await videoDir, { recursive: true, force: true });
  }
}
