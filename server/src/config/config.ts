import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TIME_ZONE, isTimeZone } from '@liangzheng/domain/time/local-date';
import { z } from 'zod';
import { proxyTrust } from '../http/client-address.ts';
import { type LogLevel, logLevels } from '../logging/logger.ts';

function isProxyList(list: string[]): boolean {
  try {
    proxyTrust(list);
    return true;
  } catch {
    return false;
  }
}

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .optional();

/** Environment variables the server reads; everything else in the environment is ignored. */
export const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // Loopback by default: exposing the server to the network is a deliberate choice.
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('data'),
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.string().url().optional(),
  LIANGZHENG_ADMIN_PASSWORD: z.string().min(8, 'admin password must be at least 8 characters').optional(),
  LIANGZHENG_CODE_HOST: z
    .string()
    .regex(/^[A-Z0-9.-]+$/, 'code host is upper-case (QR alphanumeric mode)')
    .default('LZ.DEMO.CN'),
  LIANGZHENG_PUBLIC_URL: z.string().url().optional(),
  LIANGZHENG_DEMO: flag,
  /** with the demo: also 30 days of history and today's custody story (on by default; fault tests turn it off) */
  LIANGZHENG_DEMO_HISTORY: flag,
  LIANGZHENG_ROOT_KEY: z.string().optional(),
  LIANGZHENG_KEK: z.string().optional(),
  LIANGZHENG_CONSOLE_DIR: z.string().min(1).optional(),
  /** requests and socket messages per minute for one device, user or address; a busy dock may need more */
  LIANGZHENG_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(10).max(1_000_000).default(600),
  /**
   * The reverse proxies in front of the server, comma-separated (addresses, CIDR ranges, `loopback`): their
   * X-Forwarded-For and X-Forwarded-Proto are believed. Unset, nobody's are, and every request is counted against
   * the address it came from.
   */
  LIANGZHENG_TRUST_PROXY: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine(isProxyList, 'trusted proxies are addresses, CIDR ranges, loopback, linklocal or uniquelocal'),
  /** photo bytes one device (or console user) may upload per market day, lots and repacks together; default 64 MiB */
  LIANGZHENG_PHOTO_BYTES_PER_DAY: z.coerce
    .number()
    .int()
    .min(1_000_000)
    .max(10_000_000_000)
    .default(64 * 1024 * 1024),
  /** the market's time zone: dates on labels, exports and the public page are its calendar days */
  LIANGZHENG_TIME_ZONE: z
    .string()
    .refine(isTimeZone, 'time zone must be an IANA name such as Asia/Shanghai')
    .default(DEFAULT_TIME_ZONE),
  /** a font file for labels instead of the bundled Noto Sans SC; `file.ttc#PostScriptName` for a collection */
  LIANGZHENG_CJK_FONT: z
    .string()
    .refine((spec) => existsSync(spec.split('#')[0]!), 'LIANGZHENG_CJK_FONT names a file that does not exist')
    .refine(
      (spec) => !/\.ttc$/i.test(spec),
      'a .ttc collection needs the font’s PostScript name: LIANGZHENG_CJK_FONT=file.ttc#Name',
    )
    .optional(),
  /**
   * TCP ports the server may send raw print jobs to, comma-separated (JetDirect's 9100–9102 by default), so
   * the print route cannot be pointed at some other service.
   */
  /** where the log (with one line per request) goes; unset: stdout, warnings and errors only */
  LIANGZHENG_LOG_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(logLevels).optional(),
  LIANGZHENG_PRINTER_PORTS: z
    .string()
    .regex(/^\d{1,5}(,\d{1,5})*$/, 'printer ports are comma-separated numbers')
    .default('9100,9101,9102')
    .transform((list) => list.split(',').map(Number)),
});

/** Where `npm run build -w console` writes the console, relative to this file in the checkout. */
const builtConsole = fileURLToPath(new URL('../../../console/dist', import.meta.url));

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string;
  redisUrl: string | undefined;
  adminPassword: string | undefined;
  codeHost: string;
  publicUrl: string;
  /** undefined: seed demo data only when the database is new */
  demo: boolean | undefined;
  /** with the demo world, the 30 days of history and today's custody story too */
  demoHistory: boolean;
  rootKey: string | undefined;
  kek: string | undefined;
  /** console session lifetime */
  sessionHours: number;
  /** requests per minute per user or device */
  rateLimitPerMinute: number;
  /** proxies whose X-Forwarded-* headers are believed (LIANGZHENG_TRUST_PROXY); empty: none */
  trustProxy: string[];
  /** login attempts per minute per client address */
  loginRateLimitPerMinute: number;
  /** photo bytes per device or user per market day (LIANGZHENG_PHOTO_BYTES_PER_DAY) */
  photoBytesPerDay: number;
  bodyLimitBytes: number;
  /** the built console (index.html and assets) the server serves at `/`; it may not exist yet */
  consoleDir: string;
  /** IANA zone of the market(s) this server runs: 开具日期 and export times are read on its clock */
  timeZone: string;
  /** how often the figures summary folds in changes without a reader asking (docs/figures.md); 0: only on reads */
  figuresCatchUpMs: number;
  /** LIANGZHENG_LOG_FILE; undefined: stdout */
  logFile: string | undefined;
  /** LOG_LEVEL; undefined: `info` into a log file, `warn` on stdout */
  logLevel: LogLevel | undefined;
  /** label font file (LIANGZHENG_CJK_FONT); undefined: the bundled Noto Sans SC */
  cjkFont: string | undefined;
  /** ports POST /certificates/:id/print may connect to */
  printerPorts: number[];
}

export type ConfigResult =
  | { ok: true; config: Config }
  | { ok: false; code: 'CONFIG_INVALID'; issues: string[] };

export function loadConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      code: 'CONFIG_INVALID',
      issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    };
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    ok: true,
    config: {
      port: e.PORT,
      host: e.HOST,
      dataDir,
      databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, 'liangzheng.db')}`,
      redisUrl: e.REDIS_URL,
      adminPassword: e.LIANGZHENG_ADMIN_PASSWORD,
      codeHost: e.LIANGZHENG_CODE_HOST,
      publicUrl: (e.LIANGZHENG_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
      demo: e.LIANGZHENG_DEMO,
      demoHistory: e.LIANGZHENG_DEMO_HISTORY ?? true,
      rootKey: e.LIANGZHENG_ROOT_KEY,
      kek: e.LIANGZHENG_KEK,
      sessionHours: 12,
      rateLimitPerMinute: e.LIANGZHENG_RATE_LIMIT_PER_MINUTE,
      trustProxy: e.LIANGZHENG_TRUST_PROXY,
      loginRateLimitPerMinute: 20,
      photoBytesPerDay: e.LIANGZHENG_PHOTO_BYTES_PER_DAY,
      bodyLimitBytes: 256 * 1024,
      consoleDir: path.resolve(e.LIANGZHENG_CONSOLE_DIR ?? builtConsole),
      timeZone: e.LIANGZHENG_TIME_ZONE,
      figuresCatchUpMs: 5_000,
      cjkFont: e.LIANGZHENG_CJK_FONT,
      printerPorts: e.LIANGZHENG_PRINTER_PORTS,
      logFile: e.LIANGZHENG_LOG_FILE,
      logLevel: e.LOG_LEVEL,
    },
  };
}
