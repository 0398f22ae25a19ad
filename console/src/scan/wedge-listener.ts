/**
 * A keyboard-wedge scanner types a code as keystrokes, wherever the focus is. The agent's timing rule (onscan.js
 * defaults) tells a scan from a person: ≤30 ms per key on average and at least 6 characters; people type 80–250 ms
 * per key. A burst ends with Enter, Tab, or silence: 300 ms here rather than the agent's 100, because a browser's
 * event loop stalls (rendering, garbage collection, a busy tablet) longer than a USB report does, and a stall in the
 * middle of a code must not cut it in two. The average still tells a person from a scanner.
 */
export interface WedgeTiming {
  maxAverageIntervalMs: number;
  minLength: number;
  endTimeoutMs: number;
}
export const wedgeTiming: WedgeTiming = { maxAverageIntervalMs: 30, minLength: 6, endTimeoutMs: 300 };

export interface KeyBurst {
  chars: string;
  times: number[];
}

export const intervalsOf = (times: readonly number[]): number[] =>
  times.slice(1).map((time, i) => Math.max(0, time - times[i]!));

/** Whether a burst of keys was a scanner's: long enough and fast enough. */
export function isScan(burst: KeyBurst, timing: WedgeTiming = wedgeTiming): boolean {
  if (burst.chars.length < timing.minLength) return false;
  const intervals = intervalsOf(burst.times);
  const average = intervals.reduce((a, b) => a + b, 0) / Math.max(1, intervals.length);
  return average <= timing.maxAverageIntervalMs;
}

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

function editableField(element: Element | null): Field | null {
  return element instanceof HTMLInputElement ||
    element instanceof HTMLTextAreaElement ||
    element instanceof HTMLSelectElement
    ? element
    : null;
}

/** Sets a field's value through the native setter and tells React, so controlled fields follow too. */
function restoreValue(field: Field, value: string): void {
  const prototype = Object.getPrototypeOf(field) as object;
  const setter = Object.getOwnPropertyDescriptor(prototype, 'value')?.set;
  if (setter) setter.call(field, value);
  else field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

export interface WedgeScan {
  text: string;
  intervals: number[];
}

/**
 * Listens on the whole window, before any field sees the keys. A scan's characters may already have landed in
 * whatever field had the focus (a person's first key is indistinguishable from a scanner's): once the burst is known
 * to be a scan, that field gets back the value it had before, and the terminating Enter never submits its form.
 */
export function listenForWedgeScans(
  target: Window,
  onScan: (scan: WedgeScan) => void,
  timing: WedgeTiming = wedgeTiming,
): () => void {
  let burst: KeyBurst = { chars: '', times: [] };
  let field: Field | null = null;
  let before = '';
  let silence: ReturnType<typeof setTimeout> | undefined;

  const finish = (): boolean => {
    clearTimeout(silence);
    const ended = burst;
    burst = { chars: '', times: [] };
    if (!isScan(ended, timing)) return false;
    if (field) restoreValue(field, before);
    onScan({ text: ended.chars, intervals: intervalsOf(ended.times) });
    return true;
  };

  const onKey = (event: KeyboardEvent) => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === 'Enter' || event.key === 'Tab') {
      if (finish()) {
        event.preventDefault();
        event.stopPropagation();
      }
      return;
    }
    if (event.key.length !== 1) return;
    const now = event.timeStamp || performance.now();
    const last = burst.times.at(-1);
    if (last !== undefined && now - last > timing.endTimeoutMs) finish();
    if (burst.chars.length === 0) {
      field = editableField(document.activeElement);
      before = field?.value ?? '';
    }
    burst = { chars: burst.chars + event.key, times: [...burst.times, now] };
    clearTimeout(silence);
    silence = setTimeout(finish, timing.endTimeoutMs);
  };

  target.addEventListener('keydown', onKey, true);
  return () => {
    clearTimeout(silence);
    target.removeEventListener('keydown', onKey, true);
  };
}
