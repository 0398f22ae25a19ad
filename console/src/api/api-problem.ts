import type { TFunction } from 'i18next';
import type { ApiError } from './api.ts';

/**
 * A sentence a person can act on for an API error: the console's words for the codes people meet, else the
 * generic sentence with the code (so support can still look it up).
 */
export function problemText(t: TFunction, error: Pick<ApiError, 'code'>): string {
  const key = `apiError.${error.code}`;
  return t(key, { defaultValue: '' }) || t('error.generic', { code: error.code });
}
