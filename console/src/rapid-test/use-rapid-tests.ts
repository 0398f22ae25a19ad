import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiError, ApiResult, DecisionBody, RapidTestBody, RetestBody } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';

/**
 * The market's rapid tests as the staff screen needs them: what is held, recent results, lots to sample and the
 * suggested samples, and the three writes. Every write refreshes the lists; its answer (or coded error) is returned.
 */
export function useRapidTests(marketId: number) {
  const api = useApi();
  const queries = useQueryClient();
  // Another gate may record a positive, and windows run out: the held list is re-read twice a minute.
  const held = useQuery({
    queryKey: ['rapid-tests', marketId, 'held'],
    queryFn: () => api.rapidTests(marketId, true),
    refetchInterval: 30_000,
  });
  const recent = useQuery({
    queryKey: ['rapid-tests', marketId, 'recent'],
    queryFn: () => api.rapidTests(marketId),
  });
  const lots = useQuery({ queryKey: ['lots', 'to-sample'], queryFn: () => api.lots({ limit: 50 }) });
  const suggestions = useQuery({
    queryKey: ['rapid-tests', marketId, 'suggestions'],
    queryFn: () => api.samplingSuggestions(marketId),
  });

  async function write<T>(request: Promise<ApiResult<T>>): Promise<ApiResult<T>> {
    const answer = await request;
    if (answer.ok) await queries.invalidateQueries({ queryKey: ['rapid-tests', marketId] });
    return answer;
  }

  return {
    held: held.data?.ok ? held.data.value : [],
    recent: recent.data?.ok ? recent.data.value : [],
    lots: lots.data?.ok ? lots.data.value : [],
    suggestions: suggestions.data?.ok ? suggestions.data.value.suggestions : [],
    record: (body: RapidTestBody) => write(api.recordRapidTest(body)),
    retest: (id: string, body: RetestBody) => write(api.retest(id, body)),
    decide: (id: string, body: DecisionBody) => write(api.decide(id, body)),
  };
}

/** The server's own sentence for a refused write (zh-CN first, then English); a network failure says so. */
export function refusalText(error: ApiError, offline: string): string {
  return error.code === 'NETWORK' ? offline : `${error.message} (${error.code})`;
}

/** A chosen file as the base64 the API takes. */
export function fileAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
