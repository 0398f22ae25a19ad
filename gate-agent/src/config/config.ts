import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';

const byteOffset = z.number().int().min(0).max(4095);

/**
 * Where a HID POS scanner's fields sit, for a model whose report descriptor misleads (normally the layout comes
 * from the descriptor itself; see docs/gate-agent.md, "HID POS layouts").
 */
const HidPosLayoutConfig = z
  .strictObject({
    name: z.string().min(1),
    reportId: z.number().int().min(0).max(255),
    reportLength: z.number().int().min(2).max(4096),
    lengthOffset: byteOffset.optional(),
    dataOffset: byteOffset,
    dataCapacity: z.number().int().min(1).max(4096),
    symbologyOffset: byteOffset,
    symbologyLength: z.number().int().min(0).max(3),
    continuationOffset: byteOffset,
    continuationMask: z.number().int().min(0).max(255),
  })
  .refine((layout) => layout.dataOffset + layout.dataCapacity <= layout.reportLength, {
    message: 'dataOffset + dataCapacity must fit in reportLength',
  })
  .refine((layout) => layout.continuationOffset < layout.reportLength, {
    message: 'continuationOffset must lie inside the report',
  });

/** A HID scanner, by USB ids; `mode` says how its reports are laid out (see docs/gate-agent.md). */
const HidInput = z
  .strictObject({
    kind: z.literal('hid'),
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
    mode: z.enum(['pos', 'keyboard']).default('keyboard'),
    posLayout: HidPosLayoutConfig.optional(),
  })
  .refine(
    (input) =>
      input.posLayout === undefined ||
      (input.mode === 'pos' && input.vendorId !== undefined && input.productId !== undefined),
    { message: 'posLayout needs mode "pos" and the scanner\'s vendorId and productId', path: ['posLayout'] },
  );

/** A keyboard-wedge scanner read from an evdev node, or from the agent's own terminal. */
const WedgeInput = z.strictObject({
  kind: z.literal('wedge'),
  device: z.string().min(1).default('stdin'),
  maxInterKeyMs: z.number().positive().default(30),
  minLength: z.number().int().positive().default(6),
});

/** A camera that ffmpeg can open: `/dev/videoN`, an `rtsp://` URL or a video file. */
const CameraInput = z.strictObject({
  kind: z.literal('camera'),
  url: z.string().min(1),
  width: z.number().int().positive().default(640),
  height: z.number().int().positive().default(480),
  fps: z.number().positive().max(30).default(8),
});

const ManualInput = z.strictObject({ kind: z.literal('manual') });

export const InputConfig = z.discriminatedUnion('kind', [HidInput, WedgeInput, CameraInput, ManualInput]);
export type InputConfig = z.infer<typeof InputConfig>;

export const SoundConfig = z.strictObject({
  output: z.enum(['speaker', 'beeper', 'none']).default('speaker'),
  /** For `beeper`: argv run once per beep; `{tone}` is replaced by accept|review|reject|repeat. */
  beeperCommand: z.array(z.string().min(1)).min(1).optional(),
});
export type SoundConfig = z.infer<typeof SoundConfig>;

export const AgentConfig = z
  .strictObject({
    server: z.strictObject({
      url: z.url({ protocol: /^https?$/ }),
      deviceToken: z.string().min(8),
      /** base64url Ed25519 public keys of the platform root that signs trust snapshots */
      rootPublicKeys: z
        .array(z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'base64url Ed25519 public key'))
        .default([]),
    }),
    gateId: z.number().int().nonnegative(),
    inputs: z.array(InputConfig).default([{ kind: 'manual' }]),
    sound: SoundConfig.default({ output: 'speaker' }),
    /** Past this age of the cached trust snapshot, the agent no longer accepts (SNAPSHOT_STALE). */
    maxSnapshotAgeHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    journalPath: z.string().min(1).default('data/gate-journal.sqlite'),
    statusPort: z.number().int().min(0).max(65535).default(4100),
    sync: z
      .strictObject({
        batchSize: z.number().int().min(1).max(1000).default(200),
        /** scans in flight at once within a batch */
        inFlight: z.number().int().min(1).max(256).default(32),
        /** Longest wait between retries while the server is unreachable. */
        maxBackoffMs: z.number().int().positive().default(5000),
        /** How often to ask for a trust increment when no push arrives. */
        trustPollMs: z.number().int().positive().default(60_000),
      })
      .default({ batchSize: 200, inFlight: 32, maxBackoffMs: 5000, trustPollMs: 60_000 }),
  })
  .superRefine((config, ctx) => {
    if (config.sound.output === 'beeper' && !config.sound.beeperCommand) {
      ctx.addIssue({
        code: 'custom',
        path: ['sound', 'beeperCommand'],
        message: 'sound.output "beeper" needs sound.beeperCommand',
      });
    }
  });
export type AgentConfig = z.infer<typeof AgentConfig>;

export type ConfigErrorCode = 'CONFIG_NOT_FOUND' | 'CONFIG_NOT_JSON' | 'CONFIG_INVALID';

export interface ConfigError {
  code: ConfigErrorCode;
  path: string;
  /** one line per problem, `field: message` */
  problems: string[];
}

export type ConfigResult = { ok: true; config: AgentConfig } | { ok: false; error: ConfigError };

/** Validates already-parsed JSON. A relative journalPath is resolved against `baseDir`. */
export function parseConfig(json: unknown, path: string, baseDir: string): ConfigResult {
  const parsed = AgentConfig.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    return { ok: false, error: { code: 'CONFIG_INVALID', path, problems } };
  }
  const config = { ...parsed.data, journalPath: resolve(baseDir, parsed.data.journalPath) };
  return { ok: true, config };
}

export function loadConfig(path: string): ConfigResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    return { ok: false, error: { code: 'CONFIG_NOT_FOUND', path, problems: [String(cause)] } };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    return { ok: false, error: { code: 'CONFIG_NOT_JSON', path, problems: [String(cause)] } };
  }
  return parseConfig(json, path, dirname(resolve(path)));
}

const configErrorTitles: Record<ConfigErrorCode, { zh: string; en: string }> = {
  CONFIG_NOT_FOUND: { zh: '找不到配置文件', en: 'Config file not found' },
  CONFIG_NOT_JSON: { zh: '配置文件不是有效的 JSON', en: 'Config file is not valid JSON' },
  CONFIG_INVALID: { zh: '配置文件内容有误', en: 'Config file has invalid values' },
};

export function describeConfigError(error: ConfigError): string {
  const title = configErrorTitles[error.code];
  return [
    `${error.code} ${title.zh} / ${title.en}: ${error.path}`,
    ...error.problems.map((p) => `  - ${p}`),
  ].join('\n');
}
