import type { Keystroke } from './keystroke.ts';

/**
 * onscan.js defaults: a scanner types ≤30 ms per key on average and a code has ≥6 characters. People type
 * 80–250 ms per key, so their keystrokes are told apart and never judged as a scan.
 */
export interface WedgeTiming {
  maxAverageIntervalMs: number;
  minLength: number;
  /** silence that ends a code sent without Enter/Tab */
  endTimeoutMs: number;
}
export const onscanTiming: WedgeTiming = { maxAverageIntervalMs: 30, minLength: 6, endTimeoutMs: 100 };

export interface WedgeState {
  chars: string;
  times: readonly number[];
}
export const emptyWedgeState: WedgeState = { chars: '', times: [] };

export type WedgeOutcome =
  | { kind: 'scan'; text: string; intervals: number[]; ending: 'enter' | 'tab' | 'timeout' }
  | { kind: 'typed'; text: string; intervals: number[]; reason: 'too_short' | 'too_slow' };

export const intervalsOf = (times: readonly number[]): number[] =>
  times.slice(1).map((time, i) => Math.max(0, time - times[i]!));

function judge(state: WedgeState, timing: WedgeTiming, ending: 'enter' | 'tab' | 'timeout'): WedgeOutcome {
  const intervals = intervalsOf(state.times);
  const average = intervals.length === 0 ? 0 : intervals.reduce((a, b) => a + b, 0) / intervals.length;
  if (state.chars.length < timing.minLength)
    return { kind: 'typed', text: state.chars, intervals, reason: 'too_short' };
  if (average > timing.maxAverageIntervalMs)
    return { kind: 'typed', text: state.chars, intervals, reason: 'too_slow' };
  return { kind: 'scan', text: state.chars, intervals, ending };
}

/**
 * One keystroke in, at most two outcomes out (a timed-out burst, then the current one if it is a terminator).
 * Pure; the shell also calls `endWedgeBurst` when `endTimeoutMs` passes with no key.
 */
export function stepWedge(
  state: WedgeState,
  key: Keystroke,
  timing: WedgeTiming = onscanTiming,
): { state: WedgeState; outcomes: WedgeOutcome[] } {
  const outcomes: WedgeOutcome[] = [];
  let current = state;
  const last = current.times.at(-1);
  if (last !== undefined && key.at - last > timing.endTimeoutMs) {
    outcomes.push(judge(current, timing, 'timeout'));
    current = emptyWedgeState;
  }
  if ('terminator' in key) {
    if (current.chars.length > 0) outcomes.push(judge(current, timing, key.terminator));
    return { state: emptyWedgeState, outcomes };
  }
  return { state: { chars: current.chars + key.char, times: [...current.times, key.at] }, outcomes };
}

export function endWedgeBurst(
  state: WedgeState,
  timing: WedgeTiming = onscanTiming,
): { state: WedgeState; outcome?: WedgeOutcome } {
  if (state.chars.length === 0) return { state: emptyWedgeState };
  return { state: emptyWedgeState, outcome: judge(state, timing, 'timeout') };
}

export function decodeKeystrokes(keys: Keystroke[], timing: WedgeTiming = onscanTiming): WedgeOutcome[] {
  const outcomes: WedgeOutcome[] = [];
  let state = emptyWedgeState;
  for (const key of keys) {
    const step = stepWedge(state, key, timing);
    state = step.state;
    outcomes.push(...step.outcomes);
  }
  const rest = endWedgeBurst(state, timing);
  if (rest.outcome) outcomes.push(rest.outcome);
  return outcomes;
}
