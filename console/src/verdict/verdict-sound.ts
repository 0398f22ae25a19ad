import type { VerdictOutcome } from '@liangzheng/domain/verdict/verdict-result';

/**
 * Tones a gloved worker tells apart without looking: one high blip, two middle, one long low, and two short quick
 * blips for a lot still waiting for its next certificate.
 */
const tones: Record<VerdictOutcome, { hz: number; ms: number; repeat: number }> = {
  accept: { hz: 1320, ms: 120, repeat: 1 },
  review: { hz: 660, ms: 160, repeat: 2 },
  reject: { hz: 220, ms: 700, repeat: 1 },
  pending: { hz: 990, ms: 70, repeat: 2 },
};

let context: AudioContext | undefined;

/** Plays the outcome's tone; silent where the browser has no Web Audio (or it is not yet unlocked). */
export function soundVerdict(outcome: VerdictOutcome): void {
  const Audio = globalThis.AudioContext;
  if (!Audio) return;
  context ??= new Audio();
  const { hz, ms, repeat } = tones[outcome];
  for (let i = 0; i < repeat; i++) {
    const start = context.currentTime + (i * (ms + 80)) / 1000;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = hz;
    oscillator.type = outcome === 'reject' ? 'square' : 'sine';
    gain.gain.setValueAtTime(0.3, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + ms / 1000);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start);
    oscillator.stop(start + ms / 1000);
  }
}
