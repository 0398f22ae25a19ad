import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReportDescriptorRead } from './hid-device.ts';

/**
 * node-hid 3.4 has no call for the report descriptor (its bundled hidapi has `hid_get_report_descriptor`, but the
 * binding does not expose it). On Linux the kernel publishes every hidraw node's descriptor in sysfs, readable by
 * any user (`report_descriptor` is mode 0444), so no extra udev rule is needed.
 */
export function readHidrawReportDescriptor(
  path: string,
  sysfsRoot = '/sys/class/hidraw',
): ReportDescriptorRead {
  const node = /^\/dev\/(hidraw\d+)$/.exec(path)?.[1];
  if (!node) return { ok: false, detail: `${path} is not a Linux hidraw node: no report descriptor to read` };
  try {
    return {
      ok: true,
      bytes: new Uint8Array(readFileSync(join(sysfsRoot, node, 'device', 'report_descriptor'))),
    };
  } catch (error) {
    return { ok: false, detail: String(error) };
  }
}
