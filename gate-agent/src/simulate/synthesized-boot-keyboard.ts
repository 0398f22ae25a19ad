/**
 * Boot-keyboard reports SYNTHESIZED from text, as a keyboard-mode USB scanner would send them: no capture from a
 * real scanner, so the simulation and the fixture writer (fixtures/synthesize.ts) make them here. The US usages
 * are written out independently of src/scanner/hid/usb-keymap.ts, so decoding them tests that map.
 */

/** character → [HID keyboard usage, Shift held] */
export const usKeyUsages: ReadonlyMap<string, readonly [number, boolean]> = (() => {
  const usages = new Map<string, readonly [number, boolean]>();
  for (let i = 0; i < 26; i++) {
    usages.set(String.fromCharCode(97 + i), [4 + i, false]);
    usages.set(String.fromCharCode(65 + i), [4 + i, true]);
  }
  '1234567890'.split('').forEach((digit, i) => {
    usages.set(digit, [0x1e + i, false]);
  });
  '!@#$%^&*()'.split('').forEach((symbol, i) => {
    usages.set(symbol, [0x1e + i, true]);
  });
  for (const [char, usage, shift] of [
    ['-', 0x2d, false],
    ['_', 0x2d, true],
    ['=', 0x2e, false],
    ['+', 0x2e, true],
    [';', 0x33, false],
    [':', 0x33, true],
    ['/', 0x38, false],
    ['?', 0x38, true],
    ['.', 0x37, false],
    [',', 0x36, false],
    [' ', 0x2c, false],
    ['&', 0x24, true],
    ['~', 0x35, true],
  ] as const)
    usages.set(char, [usage, shift]);
  return usages;
})();

const hex = (bytes: number[]) => Buffer.from(bytes).toString('hex');

export type SynthesizedReports =
  | { ok: true; reports: string[] }
  | { ok: false; code: 'NOT_TYPABLE'; detail: string };

/**
 * The common style (most scanners): a press report, then an all-zero release report, per character; Enter
 * last. `prefix` is a report-ID byte for scanners that send one.
 */
export function bootReportsReleaseEach(text: string, prefix: number[] = []): SynthesizedReports {
  const reports: string[] = [];
  for (const char of text) {
    const key = usKeyUsages.get(char);
    if (!key) return { ok: false, code: 'NOT_TYPABLE', detail: `no US key types ${JSON.stringify(char)}` };
    const [usage, shift] = key;
    reports.push(hex([...prefix, shift ? 0x02 : 0, 0, usage, 0, 0, 0, 0, 0]));
    reports.push(hex([...prefix, 0, 0, 0, 0, 0, 0, 0, 0]));
  }
  reports.push(hex([...prefix, 0, 0, 0x28, 0, 0, 0, 0, 0]), hex([...prefix, 0, 0, 0, 0, 0, 0, 0, 0]));
  return { ok: true, reports };
}
