import type { TFunction } from 'i18next';
import type { ApiError } from '../api/api.ts';

/** The producer's sentence for an error code, in its own words for issuing and voiding, with the code otherwise. */
export function producerProblem(t: TFunction, error: Pick<ApiError, 'code'>): string {
  return (
    t(`producer.errors.${error.code}`, { defaultValue: '' }) ||
    t('producer.errors.other', { code: error.code })
  );
}
