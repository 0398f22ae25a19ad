import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { EntityId, LotDeclaration } from '@liangzheng/domain';
import { z } from 'zod';
import { distortionNames } from './qr-video.ts';

/** the demo server's codes are issued fresh at start (demo-codes.ts); this many at most */
const DemoCodeIndex = z.number().int().nonnegative().max(20);

/** One thing that happens at the simulated gate. Every read step yields exactly one read. */
export const Step = z.discriminatedUnion('kind', [
  /** staff declare a new arrival */
  z.strictObject({ kind: z.literal('lot'), id: EntityId.optional(), declaration: LotDeclaration }),
  /** a code typed by hand */
  z.strictObject({ kind: z.literal('manual'), text: z.string().min(1) }),
  /** the demo server's Nth certificate code, scanned by a keyboard-wedge scanner (fetched at start) */
  z.strictObject({ kind: z.literal('demo-code'), index: DemoCodeIndex }),
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
  /**
   * the demo server's Nth code from a keyboard-mode USB scanner, as boot-keyboard reports SYNTHESIZED from the
   * code's text (no capture exists for a code issued at run time): press and release per character, then Enter
   */
  z.strictObject({ kind: z.literal('hid-synthesized'), demoCode: DemoCodeIndex }),
  /**
   * the gate camera watching a video: of the demo server's Nth code, made at run time with ffmpeg under a
   * distortion (default clean), or a recorded file (`path`, relative to the script) scaled to width×height
   */
  z
    .strictObject({
      kind: z.literal('video'),
      demoCode: DemoCodeIndex.optional(),
      distortion: z.enum(distortionNames).optional(),
      path: z.string().min(1).optional(),
      width: z.number().int().min(64).max(3840).optional(),
      height: z.number().int().min(48).max(2160).optional(),
    })
    .refine((step) => (step.demoCode === undefined) !== (step.path === undefined), {
      message: 'a video step has either demoCode or path 视频步骤需要 demoCode 或 path 之一',
    })
    .refine((step) => step.path !== undefined || (step.width === undefined && step.height === undefined), {
      message: 'width and height are for a recorded video (path) 仅录制视频可设宽高',
      path: ['width'],
    })
    .refine((step) => step.demoCode !== undefined || step.distortion === undefined, {
      message: 'distortion is for a generated video (demoCode) 仅生成视频可设失真',
      path: ['distortion'],
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
  | {
      ok: false;
      code: 'SCRIPT_NOT_FOUND' | 'SCRIPT_NOT_JSON' | 'SCRIPT_INVALID' | 'SCRIPT_VIDEO_NOT_FOUND';
      problems: string[];
    };

/** The demo code indexes a script scans, so that many codes are issued before it plays. */
export function demoCodeIndexes(script: SimulationScript): number[] {
  return script.steps.flatMap((step) => {
    if (step.kind === 'demo-code') return [step.index];
    if (step.kind === 'hid-synthesized') return [step.demoCode];
    if (step.kind === 'video' && step.demoCode !== undefined) return [step.demoCode];
    return [];
  });
}

/** Recorded videos are named relative to the script; they are resolved and checked before anything plays. */
function withVideoPaths(script: SimulationScript, scriptPath: string): ScriptResult {
  const problems: string[] = [];
  const steps = script.steps.map((step, index) => {
    if (step.kind !== 'video' || step.path === undefined) return step;
    const path = resolve(dirname(scriptPath), step.path);
    if (!existsSync(path)) problems.push(`steps.${index}.path: 找不到视频文件 video file not found: ${path}`);
    return { ...step, path };
  });
  if (problems.length > 0) return { ok: false, code: 'SCRIPT_VIDEO_NOT_FOUND', problems };
  return { ok: true, script: { ...script, steps } };
}

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
  return withVideoPaths(parsed.data, path);
}
