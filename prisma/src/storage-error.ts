/** Why a storage operation failed. Callers branch on `code`; `message` is for people. */
export type StorageErrorCode =
  | 'UNSUPPORTED_DATABASE_URL'
  | 'INVALID_DATABASE_URL'
  | 'NOT_SQLITE'
  | 'INVALID_MIGRATION_NAME'
  | 'SCHEMA_LAYOUT_CHANGED'
  | 'ENGINE_GLUE_MISMATCH'
  | 'ENGINE_FAILED'
  | 'MIGRATIONS_DISAGREE'
  | 'GENERATE_FAILED';

export class StorageError extends Error {
  override readonly name = 'StorageError';

  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${message}`, options);
  }
}

/**
 * Whether a database error is the retention guard refusing to delete (or re-date) a certificate, scan, lot or
 * violation younger than six months. The triggers' message starts with RETENTION_PERIOD; the drivers wrap it at
 * different depths (Prisma's own message, the driver adapter's cause, the original driver error).
 */
export function isRetentionRefusal(error: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): boolean => {
    if (depth > 6 || value === null || typeof value !== 'object' || seen.has(value)) return false;
    seen.add(value);
    const record = value as Record<string, unknown>;
    for (const key of ['message', 'originalMessage']) {
      const text = record[key];
      if (typeof text === 'string' && text.includes('RETENTION_PERIOD')) return true;
    }
    return ['cause', 'meta', 'driverAdapterError'].some((key) => visit(record[key], depth + 1));
  };
  return visit(error, 0);
}
