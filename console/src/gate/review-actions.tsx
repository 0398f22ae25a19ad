import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LotDetail, LotReviewInput } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { lotName } from './use-gate.ts';

/** Each certificate read for the lot, once, in the order it was read. */
const certificatesRead = (lot: LotDetail) => [
  ...new Set(lot.documents.flatMap((d) => (d.certificateId ? [d.certificateId] : []))),
];

/**
 * What each certificate is prefilled to cover: the lot's declared quantity not yet covered, on the first
 * certificate, unless the review is about units (then a person must say what 100 箱 are in kg).
 */
function prefilled(lot: LotDetail): Record<string, string> {
  const reasons = lot.verdicts.at(-1)?.reasons.map((r) => r.code) ?? [];
  const [first] = certificatesRead(lot);
  if (!first || reasons.includes('UNIT_MISMATCH')) return {};
  const covered = lot.documents.reduce((sum, d) => sum + (d.quantityClaim ?? 0), 0);
  const left = lot.quantity - covered;
  return left > 0 ? { [first]: String(left) } : {};
}

/**
 * 放行 / 扣留 for a lot judged 需人工复核. Clearing admits the goods, so the reviewer confirms the quantity each
 * certificate read for the lot covers (the server charges it); holding opens a violation.
 */
export function ReviewActions({
  lotId,
  onReview,
  onDismiss,
}: {
  lotId: string;
  onReview: (lotId: string, body: LotReviewInput) => Promise<void>;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const detail = useQuery({ queryKey: ['lot', lotId], queryFn: () => api.lot(lotId) });
  const lot = detail.data?.ok ? detail.data.value : null;
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  if (!(lot?.status === 'judged' && lot.outcome === 'review')) return null;
  const certificates = certificatesRead(lot);
  const quantities = { ...prefilled(lot), ...typed };
  const decide = async (decision: LotReviewInput['decision']) => {
    setBusy(true);
    const charges = certificates.map((certificateId) => ({
      certificateId,
      quantity: Number(quantities[certificateId]),
    }));
    await onReview(lotId, { decision, ...(decision === 'clear' ? { charges } : {}) });
    setBusy(false);
  };
  return (
    <form
      className="review card"
      aria-label={t('gate.review')}
      onSubmit={(event) => {
        event.preventDefault();
        void decide('clear');
      }}
    >
      <h2>
        {t('gate.review')} · {lotName(lot)}
      </h2>
      {certificates.map((id) => (
        <label key={id}>
          {t('gate.charge', { certificate: id, unit: t(`unit.${lot.unit}`, { defaultValue: lot.unit }) })}
          <input
            name={`charge-${id}`}
            type="number"
            inputMode="decimal"
            min="0.001"
            step="any"
            required
            value={quantities[id] ?? ''}
            onChange={(event) => setTyped((all) => ({ ...all, [id]: event.target.value }))}
          />
        </label>
      ))}
      <div className="actions">
        <button type="submit" className="big accept" disabled={busy}>
          {t('gate.clear')}
        </button>
        <button
          type="button"
          className="big danger"
          disabled={busy}
          onClick={() => void decide('confirm_violation')}
        >
          {t('gate.hold')}
        </button>
        <button type="button" onClick={onDismiss}>
          {t('gate.later')}
        </button>
      </div>
    </form>
  );
}
