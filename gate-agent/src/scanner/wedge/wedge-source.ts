import { type Clock, type Read, systemClock, toIso } from '../../read/read.ts';
import { RepeatFilter, repeatWindowMs } from '../../read/repeat.ts';
import type { ReadSource, SourceListener } from '../../read/source-event.ts';
import {
  applyCalibration,
  type Calibration,
  type CalibrationError,
  learnCalibration,
} from './calibration.ts';
import type { Keystroke } from './keystroke.ts';
import type { KeystrokeInput } from './keystroke-input.ts';
import {
  emptyWedgeState,
  endWedgeBurst,
  onscanTiming,
  stepWedge,
  type WedgeOutcome,
  type WedgeTiming,
} from './wedge-decoder.ts';

export interface WedgeSourceOptions {
  timing?: WedgeTiming;
  calibration?: Calibration;
  clock?: Clock;
}

export interface WedgeSource extends ReadSource {
  /** The next scan is taken as the printed reference code instead of a read. */
  calibrate(): Promise<Calibration | CalibrationError>;
  /** Text a person typed on the same keyboard, never judged as a scan; kept for diagnosis. */
  readonly typed: WedgeOutcome[];
}

export function wedgeSource(input: KeystrokeInput, options: WedgeSourceOptions = {}): WedgeSource {
  const timing = options.timing ?? onscanTiming;
  const clock = options.clock ?? systemClock;
  const repeats = new RepeatFilter(repeatWindowMs.hardware);
  let calibration = options.calibration;
  let calibrating: ((result: Calibration | CalibrationError) => void) | undefined;
  let state = emptyWedgeState;
  let idle: NodeJS.Timeout | undefined;
  let emit: SourceListener = () => {};
  const typed: WedgeOutcome[] = [];

  function settle(outcome: WedgeOutcome) {
    if (outcome.kind === 'typed') {
      typed.push(outcome);
      return;
    }
    const at = clock();
    if (calibrating) {
      const learned = learnCalibration(outcome.text, input.device, toIso(at));
      if ('substitutions' in learned) calibration = learned;
      calibrating(learned);
      calibrating = undefined;
      return;
    }
    const fixed = calibration
      ? applyCalibration(calibration, outcome.text)
      : { text: outcome.text, corrected: false };
    const read: Read = {
      text: fixed.text,
      source: 'wedge',
      device: input.device,
      symbology: 'unknown',
      receivedAt: toIso(at),
      provenance: {
        keystrokeTimings: outcome.intervals,
        decoder: `wedge:${outcome.ending}`,
        layoutCorrected: fixed.corrected,
      },
    };
    emit({ kind: repeats.isRepeat(read.text, at) ? 'repeat' : 'read', read });
  }

  function onKeys(keys: Keystroke[]) {
    clearTimeout(idle);
    for (const key of keys) {
      const step = stepWedge(state, key, timing);
      state = step.state;
      step.outcomes.forEach(settle);
    }
    if (state.chars.length > 0) idle = setTimeout(flush, timing.endTimeoutMs);
  }

  function flush() {
    const ended = endWedgeBurst(state, timing);
    state = ended.state;
    if (ended.outcome) settle(ended.outcome);
  }

  return {
    typed,
    calibrate: () => new Promise((resolve) => (calibrating = resolve)),
    start(listener) {
      emit = listener;
      let ended = false;
      input.start(onKeys, (error) => {
        ended = true;
        clearTimeout(idle);
        flush();
        emit({
          kind: 'status',
          status: 'disconnected',
          device: input.device,
          at: clock(),
          ...(error ? { error } : {}),
        });
      });
      if (!ended) emit({ kind: 'status', status: 'connected', device: input.device, at: clock() });
    },
    async stop() {
      clearTimeout(idle);
      input.stop();
    },
  };
}
