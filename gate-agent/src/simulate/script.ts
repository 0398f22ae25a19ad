import { readFileSync } from 'node:fs';
import { EntityId, LotDeclaration } from '@liangzheng/domain';
import { z } from 'zod';

/** One thing that happens at the simulated gate. Every read step yields exactly one read. */
export const Step = z.discriminatedUnion('kind', [
  /** staff declare a new arrival */
  z.strictObject({ kind: z.literal('lot'), id: EntityId.optional(), declaration: LotDeclaration }),
  /** a code typed by hand */
  z.strictObject({ kind: z.literal('manual'), text: z.string().min(1) }),
  /** the demo server's Nth certificate code, scanned by a keyboard-wedge scanner (fetched at start) */
  z.strictObject({ kind: z.literal('demo-code'), index: z.number().int().nonnegative().max(20) }),
  /** a keyboard-wedge scanner typing `text` with the given gap between keys, then Enter */
  z.strictObject({
    kind: z.literal('keys'),
    text: z.string().min(1),
    interKeyMs: z.number().nonnegative().max(1000).default(8),
  }),
  /** a USB scanner's captured reports (hex), boot-keyboard or HID POS */
  z.strictObject({
    kind: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff),
    productId: z.number().int().min(0).max(0xffff),
    usagePage: z.number().int().optional(),
    reports: z.array(z.string().regex(/^([0-9a-f]{2})+$/)).min(1),
  }),
  z.strictObject({ kind: z.literal('wait'), ms: z.number().int().nonnegative() }),
]);
export type Step = z.output<typeof Step>;

export const SimulationScript = z.strictObject({
  name: z.string().min(1),
  /** pause between steps, like a gate worker moving to the next truck */
  intervalMs: z.number().int().nonnegative().default(800),
  steps: z.array(Step).min(1),
});
export type SimulationScript = z.output<typeof SimulationScript>;

export type ScriptResult =
  | { ok: true; script: SimulationScript }
  | { ok: false; code: 'SCRIPT_NOT_FOUND' | 'SCRIPT_NOT_JSON' | 'SCRIPT_INVALID'; problems: string[] };

export function loadScript(path: string): ScriptResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, code: 'SCRIPT_NOT_FOUND', problems: [String(error)] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, code: 'SCRIPT_NOT_JSON', problems: [String(error)] };
  }
  const parsed = SimulationScript.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'SCRIPT_INVALID',
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    };
  }
  return { ok: true, script: parsed.data };
}
