import type { HidConnection, HidDeviceInfo, HidDeviceProvider } from './hid-device.ts';

interface ReplayDevice {
  info: HidDeviceInfo;
  /** the recorded report descriptor, when the capture has one */
  descriptor: Uint8Array | undefined;
  listeners: { report: ((report: Uint8Array) => void)[]; error: ((error: Error) => void)[] };
  open: boolean;
}

/**
 * Plays recorded reports through the same interface as node-hid, and lets a test plug, unplug and break
 * devices: the device layer is exercised without USB (this kernel has no /dev/uhid to fake one).
 */
export class ReplayHidProvider implements HidDeviceProvider {
  private readonly devices = new Map<string, ReplayDevice>();
  private readonly refuse = new Set<string>();
  listFailure: Error | undefined;

  plug(info: HidDeviceInfo, recorded: { descriptorHex?: string } = {}): void {
    this.devices.set(info.path, {
      info,
      descriptor:
        recorded.descriptorHex === undefined ? undefined : Buffer.from(recorded.descriptorHex, 'hex'),
      listeners: { report: [], error: [] },
      open: false,
    });
  }

  unplug(path: string): void {
    this.devices.delete(path);
  }

  refuseOpen(path: string, refuse: boolean): void {
    if (refuse) this.refuse.add(path);
    else this.refuse.delete(path);
  }

  /** Sends recorded reports (hex) to whoever opened the device. */
  replay(path: string, reportsHex: string[]): void {
    const device = this.devices.get(path);
    if (!device?.open) throw new Error(`replay on ${path}, which is not open`);
    for (const hex of reportsHex)
      for (const listener of device.listeners.report) listener(Buffer.from(hex, 'hex'));
  }

  /** What node-hid does when a device is yanked mid-read. */
  breakDevice(path: string, message: string): void {
    const device = this.devices.get(path);
    for (const listener of device?.listeners.error ?? []) listener(new Error(message));
  }

  list(): HidDeviceInfo[] {
    if (this.listFailure) throw this.listFailure;
    return [...this.devices.values()].map((device) => device.info);
  }

  open(path: string): HidConnection {
    const device = this.devices.get(path);
    if (!device || this.refuse.has(path)) throw new Error(`cannot open HID device ${path}`);
    device.open = true;
    device.listeners = { report: [], error: [] };
    return {
      onReport: (listener) => device.listeners.report.push(listener),
      onError: (listener) => device.listeners.error.push(listener),
      close: () => {
        device.open = false;
      },
      readReportDescriptor: () =>
        device.descriptor
          ? { ok: true, bytes: Uint8Array.from(device.descriptor) }
          : { ok: false, detail: `no report descriptor was recorded for ${path}` },
    };
  }
}
