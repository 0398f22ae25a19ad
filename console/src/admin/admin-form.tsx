import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApiResult } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { problemText } from '../api/api-problem.ts';

type Registry = ReturnType<typeof useApi>['registry'];
type Lists = {
  [K in keyof Registry]: Registry[K] extends () => Promise<ApiResult<infer T>> ? T : never;
};
type ListName =
  | 'regions'
  | 'markets'
  | 'gates'
  | 'stalls'
  | 'users'
  | 'issuers'
  | 'devices'
  | 'enrollmentCodes';

/** One registry list, as the server scopes it to the caller; every admin write refreshes them all. */
export function useRegistryList<K extends ListName>(name: K) {
  const api = useApi();
  return useQuery({
    queryKey: ['admin', name],
    queryFn: async (): Promise<Lists[K]> => {
      const answer = await (api.registry[name] as () => Promise<ApiResult<Lists[K]>>)();
      if (!answer.ok) throw answer.error;
      return answer.value;
    },
  });
}

/**
 * A sentence for a refused admin write: the admin words for its code (a VALIDATION_FAILED names the fields the
 * server named), else the console's words for the code.
 */
export function adminProblem(t: TFunction, error: Pick<ApiError, 'code' | 'body'>): string {
  if (error.code === 'VALIDATION_FAILED') {
    const issues = (error.body as { error?: { issues?: { path: string }[] } } | null)?.error?.issues ?? [];
    const fields = [...new Set(issues.map((issue) => issue.path.split('.').at(-1) ?? ''))]
      .map((field) => t(`admin.field.${field}`, { defaultValue: '' }))
      .filter(Boolean);
    return fields.length
      ? t('admin.errors.VALIDATION_FAILED', { fields: fields.join(t('admin.separator')) })
      : t('admin.errors.VALIDATION_FAILED_plain');
  }
  return t(`admin.errors.${error.code}`, { defaultValue: '' }) || problemText(t, error);
}

/**
 * A registry write from a form: runs it, refreshes the lists, and keeps the refusal as a sentence to show.
 * `onDone` gets the written row.
 */
export function useRegistryWrite<Input, Row>(
  write: (input: Input) => Promise<ApiResult<Row>>,
  onDone?: (row: Row) => void,
) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: write,
    onSuccess: async (answer) => {
      if (!answer.ok) return setProblem(adminProblem(t, answer.error));
      setProblem(null);
      await queries.invalidateQueries({ queryKey: ['admin'] });
      onDone?.(answer.value);
    },
  });
  return { run: mutation.mutate, busy: mutation.isPending, problem };
}

/** The refusal of a write, read out to screen readers as it appears. */
export function Problem({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="problem" role="alert">
      {text}
    </p>
  );
}

/** A list's failure to load, in the same words as a refused write. */
export function ListProblem({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  return <Problem text={adminProblem(t, error as ApiError)} />;
}

/** The form's fields by name, as strings (empty when absent). */
export function fieldsOf(event: FormEvent<HTMLFormElement>): (name: string) => string {
  event.preventDefault();
  const form = new FormData(event.currentTarget);
  return (name) => String(form.get(name) ?? '').trim();
}

/** A button that asks once more before an irreversible action (deactivate, revoke): a gloved slip is not enough. */
export function ConfirmButton({
  label,
  confirm,
  onConfirm,
  disabled,
}: {
  label: string;
  confirm: string;
  onConfirm: () => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" className="secondary" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span className="confirm">
      <button
        type="button"
        className="danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirm}
      </button>
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        {t('admin.cancel')}
      </button>
    </span>
  );
}

/** Market names by id, to name a gate's or stall's market. */
export function useMarketNames(): (id: number | null) => string {
  const markets = useRegistryList('markets');
  return (id) => markets.data?.find((m) => m.id === id)?.name ?? (id === null ? '' : `#${id}`);
}

/** The market a gate, stall or user belongs to: the caller's active markets (a market admin has one). */
export function MarketSelect({ marketId, name = 'marketId' }: { marketId?: number; name?: string }) {
  const { t } = useTranslation();
  const markets = useRegistryList('markets');
  const active = markets.data?.filter((m) => m.active) ?? [];
  const chosen = marketId ?? (active.length === 1 ? active[0]!.id : undefined);
  return (
    <label>
      {t('admin.field.marketId')}
      <select
        aria-label={t('admin.field.marketId')}
        name={name}
        required
        defaultValue={chosen ?? ''}
        key={`${chosen}-${active.length}`}
      >
        <option value="">{t('admin.choose')}</option>
        {active.map((market) => (
          <option key={market.id} value={market.id}>
            {market.name}
          </option>
        ))}
      </select>
    </label>
  );
}
