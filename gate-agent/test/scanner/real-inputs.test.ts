import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { SourceEvent } from '../../src/read/source-event.ts';
import { hidScannerSource } from '../../src/scanner/hid/hid-scanner-source.ts';
import { nodeHidProvider } from '../../src/scanner/hid/node-hid-provider.ts';
import { ttyInput } from '../../src/scanner/wedge/keystroke-input.ts';
import { wedgeSource } from '../../src/scanner/wedge/wedge-source.ts';

describe('real input layers on a machine without USB devices', () => {
  it('node-hid loads and enumerates (needs libusb-1.0-0): no devices, no error status', async () => {
    expect(nodeHidProvider.list()).toEqual([]);
    const events: SourceEvent[] = [];
    const source = hidScannerSource(nodeHidProvider, { keyboardScanners: [], pollMs: 60_000 });
    source.start((e) => events.push(e));
    await source.stop();
    expect(events).toEqual([]);
  });

  it('a non-TTY stdin is a tty_unavailable status, not a crash', async () => {
    const notATty = new PassThrough() as unknown as NodeJS.ReadStream;
    const source = wedgeSource(ttyInput(notATty, () => 0, 'pipe'));
    const events: SourceEvent[] = [];
    source.start((e) => events.push(e));
    await source.stop();
    expect(events.map((e) => e.kind === 'status' && [e.status, e.error?.code])).toEqual([
      ['disconnected', 'tty_unavailable'],
    ]);
  });
});
