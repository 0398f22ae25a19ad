import { type Clock, type Read, systemClock, toIso } from '../../read/read.ts';
import { RepeatFilter, repeatWindowMs } from '../../read/repeat.ts';
import type { ReadSource, SourceError, SourceListener } from '../../read/source-event.ts';
import {
  type BootKeyboardState,
  type CompletedCode,
  emptyBootKeyboardState,
  flushBootKeyboard,
  stepBootKeyboard,
} from './boot-keyboard.ts';
import { type HidConnection, type HidDeviceInfo, type HidDeviceProvider, hidDeviceId } from './hid-device.ts';
import {
  commonHidPosLayout,
  emptyHidPosState,
  type HidPosLayout,
  type HidPosState,
  hidPosUsagePage,
  stepHidPos,
} from './hid-pos.ts';
import { hidPosLayoutFromDescriptor } from './hid-pos-layout.ts';

/** A keyboard-class scanner we recognise by its USB ids (a real keyboard must never be read as a scanner). */
export interface KeyboardScannerId {
  vendorId: number;
  productId: number;
  /** force report-ID handling; by default a 9-byte report is taken to carry one */
  reportId?: boolean;
}

export interface HidScannerOptions {
  keyboardScanners: KeyboardScannerId[];
  /**
   * per vendor/product HID POS layouts, for a scanner whose descriptor misleads; anything else on usage page 0x8C
   * gets the layout its own report descriptor describes, or the common layout when that cannot be read
   */
  posLayouts?: { vendorId: number; productId: number; layout: HidPosLayout }[];
  /** hot-plug: how often the device list is polled */
  pollMs?: number;
  /** a keyboard-mode code with no Enter/Tab ends after this much silence */
  idleFlushMs?: number;
  clock?: Clock;
}

type KeyboardDecoder = {
  kind: 'keyboard';
  state: BootKeyboardState;
  reportId?: boolean;
  idleTimer?: NodeJS.Timeout;
};
type Decoder = KeyboardDecoder | { kind: 'pos'; state: HidPosState; layout: HidPosLayout };
/** What a device will be read as, known before it is opened; a HID POS layout may need the open device. */
type DecoderChoice = KeyboardDecoder | { kind: 'pos'; configured: HidPosLayout | undefined };

interface OpenDevice {
  info: HidDeviceInfo;
  id: string;
  connection: HidConnection;
  decoder: Decoder;
  repeats: RepeatFilter;
}

export interface HidScannerSource extends ReadSource {
  /** one hot-plug pass; the source calls it every `pollMs`, tests call it directly */
  poll(): void;
}

/**
 * Every matching scanner, several at once, reopened when plugged back in. Nothing node-hid throws or emits
 * ends the agent: enumeration, open and read failures become `disconnected` statuses with a code.
 */
export function hidScannerSource(provider: HidDeviceProvider, options: HidScannerOptions): HidScannerSource {
  const clock = options.clock ?? systemClock;
  const idleFlushMs = options.idleFlushMs ?? 100;
  const open = new Map<string, OpenDevice>();
  /** paths whose last open failed: reported once, retried each poll, so one bad device does not flood the log */
  const failing = new Set<string>();
  let enumerationFailing = false;
  let emit: SourceListener = () => {};
  let timer: NodeJS.Timeout | undefined;

  const status = (status: 'connected' | 'disconnected', device: string, error?: SourceError) =>
    emit({ kind: 'status', status, device, at: clock(), ...(error ? { error } : {}) });

  function decoderFor(info: HidDeviceInfo): DecoderChoice | undefined {
    if (info.usagePage === hidPosUsagePage) {
      const configured = options.posLayouts?.find(
        (p) => p.vendorId === info.vendorId && p.productId === info.productId,
      );
      return { kind: 'pos', configured: configured?.layout };
    }
    const keyboard = options.keyboardScanners.find(
      (k) => k.vendorId === info.vendorId && k.productId === info.productId,
    );
    if (!keyboard) return undefined;
    return {
      kind: 'keyboard',
      state: emptyBootKeyboardState,
      ...(keyboard.reportId === undefined ? {} : { reportId: keyboard.reportId }),
    };
  }

  function deliver(device: OpenDevice, code: Pick<CompletedCode, 'text' | 'reports'>, symbology: string) {
    const at = clock();
    const read: Read = {
      text: code.text,
      source: 'hid',
      device: device.id,
      symbology,
      receivedAt: toIso(at),
      provenance: {
        reports: [...code.reports],
        decoder: device.decoder.kind === 'pos' ? `hid-pos:${device.decoder.layout.name}` : 'boot-keyboard',
      },
    };
    emit({ kind: device.repeats.isRepeat(code.text, at) ? 'repeat' : 'read', read });
  }

  function onReport(device: OpenDevice, report: Uint8Array) {
    const decoder = device.decoder;
    if (decoder.kind === 'pos') {
      const step = stepHidPos(decoder.layout, decoder.state, report);
      decoder.state = step.state;
      if (step.completed) deliver(device, step.completed, step.completed.symbology);
      return;
    }
    const step = stepBootKeyboard(
      decoder.state,
      report,
      decoder.reportId === undefined ? {} : { reportId: decoder.reportId },
    );
    decoder.state = step.state;
    clearTimeout(decoder.idleTimer);
    if (step.completed) deliver(device, step.completed, 'unknown');
    else if (decoder.state.text.length > 0)
      decoder.idleTimer = setTimeout(() => {
        const flushed = flushBootKeyboard(decoder.state);
        decoder.state = flushed.state;
        if (flushed.completed) deliver(device, flushed.completed, 'unknown');
      }, idleFlushMs);
  }

  function close(device: OpenDevice, error?: SourceError) {
    if (open.get(device.info.path) !== device) return;
    open.delete(device.info.path);
    if (device.decoder.kind === 'keyboard') clearTimeout(device.decoder.idleTimer);
    device.connection.close();
    status('disconnected', device.id, error);
  }

  /** The scanner's own descriptor decides the layout; the common layout stands in, with a warning, when it cannot. */
  function posLayout(connection: HidConnection, id: string): { layout: HidPosLayout; warning?: SourceError } {
    const fallback = (why: string) => ({
      layout: commonHidPosLayout,
      warning: {
        code: 'hid_pos_layout_fallback' as const,
        device: id,
        detail: `${why}; using ${commonHidPosLayout.name}`,
      },
    });
    const descriptor = connection.readReportDescriptor();
    if (!descriptor.ok) return fallback(`report descriptor unreadable: ${descriptor.detail}`);
    const derived = hidPosLayoutFromDescriptor(descriptor.bytes);
    if (!derived.ok) return fallback(`report descriptor unusable: ${JSON.stringify(derived.error)}`);
    return { layout: derived.layout };
  }

  function openedDecoder(
    choice: DecoderChoice,
    connection: HidConnection,
    id: string,
  ): { decoder: Decoder; warning?: SourceError | undefined } {
    if (choice.kind === 'keyboard') return { decoder: choice };
    const { layout, warning } = choice.configured ? { layout: choice.configured } : posLayout(connection, id);
    return { decoder: { kind: 'pos', state: emptyHidPosState, layout }, warning };
  }

  function tryOpen(info: HidDeviceInfo) {
    const choice = decoderFor(info);
    if (!choice) return;
    const id = hidDeviceId(info);
    let connection: HidConnection;
    try {
      connection = provider.open(info.path);
    } catch (error) {
      if (!failing.has(info.path))
        status('disconnected', id, { code: 'device_open_failed', device: id, detail: String(error) });
      failing.add(info.path);
      return;
    }
    failing.delete(info.path);
    const { decoder, warning } = openedDecoder(choice, connection, id);
    const device: OpenDevice = {
      info,
      id,
      connection,
      decoder,
      repeats: new RepeatFilter(repeatWindowMs.hardware),
    };
    open.set(info.path, device);
    connection.onReport((report) => onReport(device, report));
    connection.onError((error) =>
      close(device, { code: 'device_read_failed', device: id, detail: error.message }),
    );
    status('connected', id, warning);
  }

  function poll() {
    let present: HidDeviceInfo[];
    try {
      present = provider.list();
      enumerationFailing = false;
    } catch (error) {
      if (!enumerationFailing)
        status('disconnected', 'hid', {
          code: 'device_enumeration_failed',
          device: 'hid',
          detail: String(error),
        });
      enumerationFailing = true;
      return;
    }
    const paths = new Set(present.map((info) => info.path));
    for (const device of [...open.values()]) if (!paths.has(device.info.path)) close(device);
    for (const path of failing) if (!paths.has(path)) failing.delete(path);
    for (const info of present) if (!open.has(info.path)) tryOpen(info);
  }

  return {
    poll,
    start(listener) {
      emit = listener;
      poll();
      timer = setInterval(poll, options.pollMs ?? 1000);
    },
    async stop() {
      clearInterval(timer);
      for (const device of [...open.values()]) close(device);
    },
  };
}
