/**
 * US layout for HID keyboard usages (usage page 0x07). Decoding with our own map keeps the text independent
 * of whatever layout the OS is set to; a scanner configured for another layout is fixed by calibration.
 */
export type KeyMeaning = { char: string; shifted: string } | { terminator: 'enter' | 'tab' };

const table = new Map<number, KeyMeaning>();
const pair = (usage: number, char: string, shifted: string) => table.set(usage, { char, shifted });

for (let i = 0; i < 26; i++) {
  const letter = String.fromCharCode(0x61 + i);
  pair(0x04 + i, letter, letter.toUpperCase());
}
'1234567890'.split('').forEach((digit, i) => {
  pair(0x1e + i, digit, '!@#$%^&*()'[i]!);
});
pair(0x2c, ' ', ' ');
pair(0x2d, '-', '_');
pair(0x2e, '=', '+');
pair(0x2f, '[', '{');
pair(0x30, ']', '}');
pair(0x31, '\\', '|');
pair(0x32, '#', '~'); // non-US hash; on a US board it sits where backslash is
pair(0x33, ';', ':');
pair(0x34, "'", '"');
pair(0x35, '`', '~');
pair(0x36, ',', '<');
pair(0x37, '.', '>');
pair(0x38, '/', '?');
// keypad: scanners in "numeric keypad" mode send digits here, unaffected by Shift
pair(0x54, '/', '/');
pair(0x55, '*', '*');
pair(0x56, '-', '-');
pair(0x57, '+', '+');
'1234567890'.split('').forEach((digit, i) => {
  pair(0x59 + i, digit, digit);
});
pair(0x63, '.', '.');
table.set(0x28, { terminator: 'enter' });
table.set(0x58, { terminator: 'enter' });
table.set(0x2b, { terminator: 'tab' });

export const usbKeyMeaning = (usage: number): KeyMeaning | undefined => table.get(usage);
