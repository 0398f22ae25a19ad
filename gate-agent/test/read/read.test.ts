import { describe, expect, it } from 'vitest';
import { cameraDecoder } from '../../src/camera/camera-decoder.ts';
import { cameraSource } from '../../src/camera/camera-source.ts';
import { replayFrameProvider } from '../../src/camera/replay-frames.ts';
import { manualRead } from '../../src/read/manual.ts';
import { readSchema } from '../../src/read/read.ts';
import { emptyRepeatState, judgeRepeat, RepeatFilter, repeatWindowMs } from '../../src/read/repeat.ts';
import { type ReadSource, type SourceEvent, sourceEvents } from '../../src/read/source-event.ts';

describe('manual reads', () => {
  it('produces a valid Read with source manual, trimmed text and the operator as device', () => {
    const read = manualRead('  3707820012605170000142 \n', 'gate-2:wang', Date.UTC(2026, 4, 17, 4, 30));
    expect(readSchema.parse(read)).toEqual({
      text: '3707820012605170000142',
      source: 'manual',
      device: 'manual:gate-2:wang',
      symbology: 'unknown',
      receivedAt: '2026-05-17T04:30:00.000Z',
      provenance: {},
    });
  });

  it('gives nothing for blank input', () => {
    expect(manualRead(' \t', 'gate-2:wang', 0)).toBeUndefined();
  });
});

describe('repeated-read suppression (pretix: 2.5 s hardware, 5 s camera)', () => {
  it('marks the same text inside the window as a repeat, and other texts as new', () => {
    let state = emptyRepeatState;
    const seen = (text: string, at: number) => {
      const judged = judgeRepeat(state, text, at, repeatWindowMs.hardware);
      state = judged.state;
      return judged.repeat;
    };
    expect([seen('A', 0), seen('A', 2499), seen('B', 2500), seen('A', 4998), seen('A', 7499)]).toEqual([
      false,
      true,
      false,
      true,
      false,
    ]);
  });

  it('slides the window while a code stays in view, so a camera never re-reports a held certificate', () => {
    const filter = new RepeatFilter(repeatWindowMs.camera);
    const frames = Array.from({ length: 60 }, (_, i) => filter.isRepeat('held', i * 200));
    expect(frames.filter((repeat) => !repeat)).toHaveLength(1);
  });

  it('forgets texts once their window has passed, so memory stays bounded', () => {
    let state = emptyRepeatState;
    for (let i = 0; i < 1000; i++)
      state = judgeRepeat(state, `code-${i}`, i * 100, repeatWindowMs.hardware).state;
    expect(state.size).toBeLessThanOrEqual(26);
  });
});

describe('sourceEvents', () => {
  it('turns any source into an async iterable and stops the source on abort', async () => {
    const blank = { width: 32, height: 32, data: new Uint8Array(1024).fill(255) };
    let stopped = false;
    const camera = cameraSource(replayFrameProvider('camera:replay', [blank]), cameraDecoder(), {
      restart: false,
    });
    const source: ReadSource = {
      start: camera.start,
      stop: async () => {
        stopped = true;
        await camera.stop();
      },
    };
    const controller = new AbortController();
    const seen: SourceEvent[] = [];
    for await (const event of sourceEvents(source, controller.signal)) {
      seen.push(event);
      if (event.kind === 'status' && event.status === 'disconnected') controller.abort();
    }
    expect(seen.map((e) => e.kind === 'status' && e.status)).toEqual(['connected', 'disconnected']);
    expect(stopped).toBe(true);
  });
});
