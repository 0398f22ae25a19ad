export const tones = ['accept', 'review', 'reject', 'pending', 'repeat'] as const;
export type Tone = (typeof tones)[number];

interface Segment {
  hz: number;
  ms: number;
  /** square waves cut through truck engines better than sines; used for the reject buzz */
  square?: boolean;
}

const silence = (ms: number): Segment => ({ hz: 0, ms });

/** Distinct by pitch, rhythm and length, so staff can tell them apart without looking. */
const melodies: Record<Tone, Segment[]> = {
  accept: [
    { hz: 880, ms: 110 },
    { hz: 1320, ms: 160 },
  ],
  review: [{ hz: 660, ms: 160 }, silence(90), { hz: 660, ms: 160 }],
  reject: [{ hz: 220, ms: 650, square: true }],
  // one short, rising blip: read and counted, scan the next certificate
  pending: [
    { hz: 990, ms: 70 },
    { hz: 1180, ms: 70 },
  ],
  repeat: [{ hz: 1760, ms: 45 }],
};

const sampleRate = 16_000;

/** A 16-bit mono PCM WAV file for the tone. */
export function toneWav(tone: Tone): Buffer {
  const samples: number[] = [];
  for (const segment of melodies[tone]) {
    const count = Math.round((sampleRate * segment.ms) / 1000);
    const fade = Math.min(80, count / 4);
    for (let i = 0; i < count; i++) {
      if (segment.hz === 0) {
        samples.push(0);
        continue;
      }
      const phase = Math.sin((2 * Math.PI * segment.hz * i) / sampleRate);
      const wave = segment.square ? Math.sign(phase) * 0.6 : phase;
      // short fades avoid clicks at segment edges
      const envelope = Math.min(1, i / fade, (count - i) / fade);
      samples.push(Math.round(wave * envelope * 0.8 * 32767));
    }
  }
  const data = Buffer.alloc(samples.length * 2);
  for (const [i, sample] of samples.entries()) data.writeInt16LE(sample, i * 2);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}
