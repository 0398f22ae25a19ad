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
