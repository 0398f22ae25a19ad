import { readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * The printed reference code. Every class a certificate code can contain: upper and lower case letters (all
 * of them, since AZERTY/QWERTZ move A/Q, Z/W/Y, M), digits (AZERTY shifts them) and the QR alphanumeric
 * symbols. It avoids keys that are dead keys on common European layouts (`[ = \``), which would swallow
 * the following character and break the one-key-one-character alignment calibration relies on.
 */
export const calibrationReference =
  'LZCAL-0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz-$%*+./:';

export const calibrationSchema = z.object({
  reference: z.string(),
  device: z.string(),
  learnedAt: z.iso.datetime(),
  /** received character → intended character; identity pairs are left out */
  substitutions: z.record(z.string().length(1), z.string().length(1)),
});
export type Calibration = z.infer<typeof calibrationSchema>;

export type CalibrationError =
  | { code: 'length_mismatch'; expected: number; received: number }
  | { code: 'ambiguous_key'; received: string; meanings: [string, string] }
  | { code: 'calibration_file_invalid'; detail: string };

/** Aligns one scan of the reference with the reference; a received character must always mean the same thing. */
export function learnCalibration(
  received: string,
  device: string,
  learnedAt: string,
  reference = calibrationReference,
): Calibration | CalibrationError {
  const got = [...received];
  const want = [...reference];
  if (got.length !== want.length)
    return { code: 'length_mismatch', expected: want.length, received: got.length };
  const meaning = new Map<string, string>();
  for (let i = 0; i < got.length; i++) {
    const known = meaning.get(got[i]!);
    if (known !== undefined && known !== want[i])
      return { code: 'ambiguous_key', received: got[i]!, meanings: [known, want[i]!] };
    meaning.set(got[i]!, want[i]!);
  }
  const substitutions: Record<string, string> = {};
  for (const [from, to] of meaning) if (from !== to) substitutions[from] = to;
  return { reference, device, learnedAt, substitutions };
}

export const isCalibration = (value: Calibration | CalibrationError): value is Calibration =>
  'substitutions' in value;

/** Characters the reference did not cover pass through unchanged. */
export function applyCalibration(
  calibration: Calibration,
  text: string,
): { text: string; corrected: boolean } {
  let corrected = false;
  const out = [...text]
    .map((char) => {
      const fixed = calibration.substitutions[char];
      if (fixed === undefined) return char;
      corrected = true;
      return fixed;
    })
    .join('');
  return { text: out, corrected };
}

/** Written to a temporary file and renamed, so a power cut never leaves half a calibration behind. */
export async function saveCalibration(path: string, calibration: Calibration): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(calibration, null, 2)}\n`);
  await rename(`${path}.tmp`, path);
}

export async function loadCalibration(path: string): Promise<Calibration | CalibrationError | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { code: 'calibration_file_invalid', detail: String(error) };
  }
  const parsed = calibrationSchema.safeParse(json);
  return parsed.success ? parsed.data : { code: 'calibration_file_invalid', detail: parsed.error.message };
}
