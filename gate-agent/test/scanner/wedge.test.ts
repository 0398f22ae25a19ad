import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/read/source-event.ts';
import {
  applyCalibration,
  calibrationReference,
  isCalibration,
  learnCalibration,
  loadCalibration,
  saveCalibration,
} from '../../src/scanner/wedge/calibration.ts';
import type { Keystroke } from '../../src/scanner/wedge/keystroke.ts';
import { replayKeystrokes } from '../../src/scanner/wedge/keystroke-input.ts';
import { decodeKeystrokes } from '../../src/scanner/wedge/wedge-decoder.ts';
import { wedgeSource } from '../../src/scanner/wedge/wedge-source.ts';

const session = JSON.parse(
  await readFile(join(import.meta.dirname, '../../fixtures/wedge/keystrokes/session.json'), 'utf8'),
) as { keys: Keystroke[]; scans: string[] };

const typeOut = (text: string, start: number, gapMs: number): Keystroke[] => [
  ...[...text].map((char, i) => ({ char, at: start + i * gapMs })),
  { terminator: 'enter' as const, at: start + text.length * gapMs },
];

describe('keyboard-wedge timing (onscan.js rules)', () => {
  it('finds exactly the scanner codes in a recorded session of scans and human typing', () => {
    const outcomes = decodeKeystrokes(session.keys);
    expect(outcomes.filter((o) => o.kind === 'scan').map((o) => o.text)).toEqual(session.scans);
    expect(outcomes.filter((o) => o.kind === 'typed').length).toBeGreaterThan(5);
  });

  it('ends a code without Enter/Tab on a 100 ms silence and says so', () => {
    const outcomes = decodeKeystrokes(session.keys).filter((o) => o.kind === 'scan');
    expect(outcomes.map((o) => o.kind === 'scan' && o.ending)).toEqual([
      'enter',
      'enter',
      'timeout',
      'enter',
    ]);
  });

  it('treats ≤30 ms average as a scanner and slower as a person, at the boundary', () => {
    expect(decodeKeystrokes(typeOut('ABCDEFGH', 0, 30))[0]?.kind).toBe('scan');
    expect(decodeKeystrokes(typeOut('ABCDEFGH', 0, 31))[0]).toMatchObject({
      kind: 'typed',
      reason: 'too_slow',
    });
  });

  it('needs at least 6 characters, so a fast double-tap is not a scan', () => {
    expect(decodeKeystrokes(typeOut('ABCDE', 0, 5))[0]).toMatchObject({ kind: 'typed', reason: 'too_short' });
    expect(decodeKeystrokes(typeOut('ABCDEF', 0, 5))[0]).toMatchObject({ kind: 'scan', text: 'ABCDEF' });
  });

  it('keeps the inter-key intervals of a scan', () => {
    const [scan] = decodeKeystrokes(typeOut('ABCDEFG', 100, 4));
    expect(scan?.intervals).toEqual([4, 4, 4, 4, 4, 4]);
  });
});

describe('calibration against the printed reference code', () => {
  /** What a US-layout scanner's keys produce on a French AZERTY OS layout (a permutation of keys). */
  const azerty: Record<string, string> = {
    a: 'q',
    q: 'a',
    z: 'w',
    w: 'z',
    m: ',',
    A: 'Q',
    Q: 'A',
    Z: 'W',
    W: 'Z',
    M: '?',
    '1': '&',
    '2': 'é',
    '3': '"',
    '4': "'",
    '5': '(',
    '6': '-',
    '7': 'è',
    '8': '_',
    '9': 'ç',
    '0': 'à',
    '-': ')',
    $: '4',
    '%': '5',
    '*': '8',
    '.': ';',
    '/': '!',
    ':': 'M',
  };
  const asAzerty = (text: string) => [...text].map((c) => azerty[c] ?? c).join('');
  const capsLock = (text: string) =>
    [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');

  it('learns an AZERTY mismatch from one scan and repairs later codes', () => {
    const learned = learnCalibration(asAzerty(calibrationReference), 'tty:stdin', '2026-05-17T04:00:00.000Z');
    if (!isCalibration(learned)) throw new Error(learned.code);
    expect(learned.substitutions).toMatchObject({ q: 'a', w: 'z', '&': '1', é: '2' });
    expect(applyCalibration(learned, asAzerty('LZ1:QAZ21wm'))).toEqual({
      text: 'LZ1:QAZ21wm',
      corrected: true,
    });
  });

  it('learns Caps Lock and leaves digits alone', () => {
    const learned = learnCalibration(
      capsLock(calibrationReference),
      'evdev:/dev/input/event3',
      '2026-05-17T04:00:00.000Z',
    );
    if (!isCalibration(learned)) throw new Error(learned.code);
    expect(applyCalibration(learned, capsLock('https://lz.example.cn/c/9F2c'))).toEqual({
      text: 'https://lz.example.cn/c/9F2c',
      corrected: true,
    });
    expect(applyCalibration(learned, '0123')).toEqual({ text: '0123', corrected: false });
  });

  it('refuses a scan of the wrong length or one where a key means two things', () => {
    expect(learnCalibration('LZCAL-012', 'd', '2026-05-17T04:00:00.000Z')).toMatchObject({
      code: 'length_mismatch',
    });
    const clash = `X${calibrationReference.slice(1, 5)}X${calibrationReference.slice(6)}`;
    expect(learnCalibration(clash, 'd', '2026-05-17T04:00:00.000Z')).toMatchObject({
      code: 'ambiguous_key',
      received: 'X',
    });
  });

  it('persists to a file and reads it back, validating the contents', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lz-cal-'));
    const learned = learnCalibration(asAzerty(calibrationReference), 'tty:stdin', '2026-05-17T04:00:00.000Z');
    if (!isCalibration(learned)) throw new Error(learned.code);
    await saveCalibration(join(dir, 'cal.json'), learned);
    expect(await loadCalibration(join(dir, 'cal.json'))).toEqual(learned);
    expect(await loadCalibration(join(dir, 'absent.json'))).toBeUndefined();
    await writeFile(join(dir, 'bad.json'), '{"substitutions":{"ab":"c"}}');
    expect(await loadCalibration(join(dir, 'bad.json'))).toMatchObject({ code: 'calibration_file_invalid' });
  });
});

describe('wedge source', () => {
  const collect = async (keys: Keystroke[], setupCalibration?: Parameters<typeof wedgeSource>[1]) => {
    const source = wedgeSource(replayKeystrokes('replay:session', keys), {
      clock: () => 1_780_000_000_000,
      ...setupCalibration,
    });
    const events: SourceEvent[] = [];
    const ended = new Promise<void>((resolve) =>
      source.start((e) => {
        events.push(e);
        if (e.kind === 'status' && e.status === 'disconnected') resolve();
      }),
    );
    await ended;
    await source.stop();
    return { events, source };
  };

  it('emits reads with keystroke timings and ignores typing', async () => {
    const { events, source } = await collect(session.keys);
    const reads = events.flatMap((e) => (e.kind === 'read' ? [e.read] : []));
    expect(reads.map((r) => r.text)).toEqual(session.scans);
    expect(reads[0]).toMatchObject({ source: 'wedge', device: 'replay:session', symbology: 'unknown' });
    expect(reads[0]?.provenance.keystrokeTimings).toHaveLength(session.scans[0]!.length - 1);
    expect(Math.max(...reads.flatMap((r) => r.provenance.keystrokeTimings ?? []))).toBeLessThanOrEqual(15);
    expect(source.typed.length).toBeGreaterThan(5);
  });

  it('takes the next scan as calibration when asked, then corrects and flags later reads', async () => {
    const capsLocked = (text: string) =>
      [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    const keys = [
      ...typeOut(capsLocked(calibrationReference), 0, 5),
      ...typeOut(capsLocked('LZ1:Abc-123'), 5000, 5),
    ];
    const source = wedgeSource(replayKeystrokes('replay:caps', keys), { clock: () => 1_780_000_000_000 });
    const events: SourceEvent[] = [];
    const learned = source.calibrate();
    source.start((e) => events.push(e));
    expect(isCalibration(await learned)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await source.stop();
    const reads = events.flatMap((e) => (e.kind === 'read' ? [e.read] : []));
    expect(reads.map((r) => [r.text, r.provenance.layoutCorrected])).toEqual([['LZ1:Abc-123', true]]);
  });
});
