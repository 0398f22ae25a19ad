import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ApiResult } from '../api/api.ts';
import './catalogue.css';

/** An instant as the market reads it: Beijing time, whatever the browser's zone. */
export function marketTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

/** What a refusal means in words a person can act on: ours for the codes these screens meet, else the server's. */
export function refusalSentence(t: TFunction, error: ApiError): string {
  return t(`catalogue.errors.${error.code}`, { defaultValue: '' }) || error.message;
}

function refusalText(t: TFunction, error: ApiError): string {
  if (error.code === 'NETWORK') return t('catalogue.offline');
  return t('catalogue.refused', { message: refusalSentence(t, error), code: error.code });
}

/**
 * What the last write on a form came to: nothing yet, the server's refusal (its own sentence and code, or that it
 * could not be reached), or a sentence saying what was done. Refusals are always shown, never swallowed.
 */
export function useWriteOutcome() {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return {
    problem,
    done,
    clear() {
      setProblem(null);
      setDone(null);
    },
    async settle<T>(request: Promise<ApiResult<T>>, said: (value: T) => string): Promise<T | null> {
      const answer = await request;
      if (answer.ok) {
        setProblem(null);
        setDone(said(answer.value));
        return answer.value;
      }
      setDone(null);
      setProblem(refusalText(t, answer.error));
      return null;
    },
  };
}

/** The outcome of a write under its form: the refusal in red (role alert), or what was done. */
export function WriteOutcome({ outcome }: { outcome: ReturnType<typeof useWriteOutcome> }) {
  return (
    <>
      {outcome.problem && (
        <p className="problem" role="alert">
          {outcome.problem}
        </p>
      )}
      {outcome.done && <output className="done">{outcome.done}</output>}
    </>
  );
}

/**
 * A button for an act that cannot be taken back (停用, 标记泄露, 回滚): the first press asks, in words on the page,
 * and only 确认 acts; 取消 leaves everything as it was.
 */
export function ConfirmAction({
  label,
  name = label,
  question,
  onConfirm,
  danger = false,
}: {
  label: string;
  /** the accessible name, when the visible label alone is not unique on the page */
  name?: string;
  question: string;
  onConfirm: () => Promise<unknown>;
  danger?: boolean;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className={danger ? 'danger' : undefined}
        aria-label={name}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <fieldset className="confirm-action" aria-label={name}>
      <legend>{question}</legend>
      <div className="actions">
        <button
          type="button"
          className={danger ? 'danger' : 'chosen'}
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            await onConfirm();
            setBusy(false);
            setAsking(false);
          }}
        >
          {t('catalogue.confirm')}
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          {t('catalogue.cancel')}
        </button>
      </div>
    </fieldset>
  );
}

/** A table that scrolls sideways inside its card on a phone, so the page itself never does. */
export function WideTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll-x">
      <table className="catalogue-table" aria-label={label}>
        {children}
      </table>
    </div>
  );
}
