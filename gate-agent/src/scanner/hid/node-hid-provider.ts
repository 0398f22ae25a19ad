import HID from 'node-hid';
import type { HidDeviceProvider } from './hid-device.ts';
import { readHidrawReportDescriptor } from './hidraw-descriptor.ts';

/** The real USB layer. Without libusb-1.0 node-hid still loads but `devices()` throws: the source reports that. */
export const nodeHidProvider: HidDeviceProvider = {
  list: () =>
    HID.devices().flatMap((device) =>
      device.path
        ? [
            {
              path: device.path,
              vendorId: device.vendorId,
              productId: device.productId,
              ...(device.usagePage === undefined ? {} : { usagePage: device.usagePage }),
              ...(device.product === undefined ? {} : { product: device.product }),
            },
          ]
        : [],
    ),
  open(path) {
    // nonExclusive: a keyboard-class scanner stays usable by the OS while we read its hidraw node
    const device = new HID.HID(path, { nonExclusive: true });
    return {
      onReport: (listener) => device.on('data', (data: Buffer) => listener(new Uint8Array(data))),
      onError: (listener) => device.on('error', (error: unknown) => listener(asError(error))),
      close: () => {
        try {
          device.close();
        } catch {
          // closing a device that was already unplugged throws; it is gone either way
        }
      },
      readReportDescriptor: () => readHidrawReportDescriptor(path),
    };
  },
};

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
