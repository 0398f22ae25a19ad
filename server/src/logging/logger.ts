import path from 'node:path';
import pino, { type Logger } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface LogSettings {
  /** LIANGZHENG_LOG_FILE: where the log goes; undefined: stdout */
  logFile: string | undefined;
  /** LOG_LEVEL; undefined: `info` into a log file, `warn` on stdout */
  logLevel: LogLevel | undefined;
}

/**
 * The server's logger. On stdout every request line would bury the start banner (the console address, the demo
 * logins) within a second of the first gate scan, so stdout gets warnings and errors only unless LOG_LEVEL says
 * otherwise; a log file gets the request log as well.
 */
export function openLogger({ logFile, logLevel }: LogSettings): Logger {
  if (logFile === undefined) return pino({ level: logLevel ?? 'warn' });
  const destination = pino.destination({ dest: path.resolve(logFile), mkdir: true, sync: false });
  return pino({ level: logLevel ?? 'info' }, destination);
}
