/** pretix's on-device windows: a hardware scanner re-reads on purpose, a camera sees one code in many frames. */
export const repeatWindowMs = { hardware: 2500, camera: 5000 } as const;

/** Last time each text was seen; a text seen again inside the window is a repeat and refreshes the window. */
export type RepeatState = ReadonlyMap<string, number>;
export const emptyRepeatState: RepeatState = new Map();

export function judgeRepeat(
  state: RepeatState,
  text: string,
  at: number,
  windowMs: number,
): { state: RepeatState; repeat: boolean } {
  const last = state.get(text);
  const repeat = last !== undefined && at - last < windowMs;
  const next = new Map<string, number>();
  for (const [seen, seenAt] of state) if (at - seenAt < windowMs) next.set(seen, seenAt);
  next.set(text, at);
  return { state: next, repeat };
}

/** The shell-side holder of the pure state, shared by every source. */
export class RepeatFilter {
  private state: RepeatState = emptyRepeatState;
  constructor(private readonly windowMs: number) {}

  isRepeat(text: string, at: number): boolean {
    const judged = judgeRepeat(this.state, text, at, this.windowMs);
    this.state = judged.state;
    return judged.repeat;
  }
}
