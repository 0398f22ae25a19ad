import type { RunningAgent } from '../main.ts';
import { manualRead } from '../read/manual.ts';
import type { Read } from '../read/read.ts';
import type { SourceEvent } from '../read/source-event.ts';
import { hidScannerSource } from '../scanner/hid/hid-scanner-source.ts';
import { ReplayHidProvider } from '../scanner/hid/replay-hid-provider.ts';
import type { Keystroke } from '../scanner/wedge/keystroke.ts';
import { replayKeystrokes } from '../scanner/wedge/keystroke-input.ts';
import { wedgeSource } from '../scanner/wedge/wedge-source.ts';
import type { SimulationScript, Step } from './script.ts';

type ReadStep = Exclude<Step, { kind: 'lot' } | { kind: 'wait' } | { kind: 'demo-code' }>;

/** Runs one step through the inputs engineer's replay sources, so simulated reads take the real decode path. */
async function readOf(step: ReadStep, at: number): Promise<SourceEvent | null> {
  if (step.kind === 'manual') {
    const read = manualRead(step.text, 'simulate', at);
    return read ? { kind: 'read', read } : null;
  }
  if (step.kind === 'keys') {
    const keys: Keystroke[] = [...step.text].map((char, i) => ({ char, at: at + i * step.interKeyMs }));
    keys.push({ terminator: 'enter', at: at + step.text.length * step.interKeyMs });
    return firstRead(wedgeSource(replayKeystrokes('simulate:wedge', keys), { clock: () => at }));
  }
  const provider = new ReplayHidProvider();
  const path = `simulate-${step.vendorId}-${step.productId}`;
  provider.plug({
    path,
    vendorId: step.vendorId,
    productId: step.productId,
    ...(step.usagePage === undefined ? {} : { usagePage: step.usagePage }),
  });
  const source = hidScannerSource(provider, {
    keyboardScanners: [{ vendorId: step.vendorId, productId: step.productId }],
    pollMs: 60_000,
    clock: () => at,
  });
  const read = firstRead(source);
  source.poll();
  provider.replay(path, step.reports);
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

export interface SimulationProgress {
  step: number;
  read: Read | null;
  skipped: boolean;
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
  const readsDone = agent.journal.counts().total;
  const lotsDone = agent.journal.lotCount();
  let reads = 0;
  let lots = 0;
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
    // a demo code is scanned the way most gates read codes: a keyboard-wedge scanner
    const readStep: ReadStep =
      step.kind === 'demo-code' ? { kind: 'keys', text: demoCodes[step.index] ?? '', interKeyMs: 4 } : step;
    const event =
      readStep.kind === 'keys' && readStep.text === ''
        ? null
        : await readOf(readStep, agent.clock.local().getTime());
    if (event) agent.handle(event);
    reads++;
    onStep({ step: index, read: event && event.kind !== 'status' ? event.read : null, skipped: false });
    if (script.intervalMs > 0) await new Promise((resolve) => setTimeout(resolve, script.intervalMs));
  }
}
