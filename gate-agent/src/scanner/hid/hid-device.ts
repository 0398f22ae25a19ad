/** Our own narrow view of a HID library: the real one wraps node-hid, tests pass a fake. */
export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  usagePage?: number;
  product?: string;
}

export interface HidConnection {
  onReport(listener: (report: Uint8Array) => void): void;
  /** the device went away or the read failed; the connection is dead afterwards */
  onError(listener: (error: Error) => void): void;
  close(): void;
  /** the device's HID report descriptor, or why it cannot be had (never throws) */
  readReportDescriptor(): ReportDescriptorRead;
}

export type ReportDescriptorRead = { ok: true; bytes: Uint8Array } | { ok: false; detail: string };

export interface HidDeviceProvider {
  /** may throw, e.g. ERR_DLOPEN_FAILED when libusb-1.0 is missing */
  list(): HidDeviceInfo[];
  /** may throw, e.g. no permission on /dev/hidrawN (needs a udev rule) */
  open(path: string): HidConnection;
}

export const hidDeviceId = (info: HidDeviceInfo): string =>
  `hid:${hex4(info.vendorId)}:${hex4(info.productId)}:${info.path}`;

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
