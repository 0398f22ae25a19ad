import { describe, expect, it } from 'vitest';
import { sounderFor } from '../../src/feedback/sounder.ts';
import { tones, toneWav } from '../../src/feedback/tones.ts';

describe('tones', () => {
  it('are valid 16 kHz mono WAVs whose data length matches the header', () => {
    for (const tone of tones) {
      const wav = toneWav(tone);
      expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
      expect(wav.readUInt32LE(24)).toBe(16_000);
      expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
    }
  });

  it('differ from each other in length, so they can be told apart by ear', () => {
    const lengths = tones.map((tone) => toneWav(tone).length);
    expect(new Set(lengths).size).toBe(tones.length);
  });

  it('play nothing when output is none, and run the beeper command with the tone name', () => {
    expect(sounderFor({ output: 'none' }).note).toBeNull();
    const beeper = sounderFor({ output: 'beeper', beeperCommand: ['true', '{tone}'] });
    expect(() => beeper.sounder.play('reject')).not.toThrow();
  });
});
