import { CertificateId } from '@liangzheng/domain/certificate/certificate';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type RepackSource, reasonOf } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { problemText } from '../api/api-problem.ts';

type Source = RepackSource['certificate'];

/** What the vendor learns on leaving a source field: whose goods, what, and how much is left to split. */
type Looked = { ok: true; source: Source; issuer: string; left: number } | { ok: false; text: string };

/**
 * One source certificate: its code (scanned, pasted or typed) and the quantity taken from it. A code is checked
 * as soon as the field is left, so a wrong or used-up certificate shows before pressing 开具; the 16-hex id form
 * is left to the server.
 */
export function ParentRow({
  row,
  onSource,
  issued,
}: {
  row: number;
  onSource: (source: Source) => void;
  /** how many certificates the screen has issued: each one used some of this source, so it is looked at again */
  issued: number;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [looked, setLooked] = useState<Looked | null>(null);
  const field = useRef<HTMLInputElement>(null);

  const look = useCallback(
    async (text: string) => {
      const code = text.trim();
      if (!code || CertificateId.safeParse(code).success) return setLooked(null);
      const found = await api.repackSource(code);
      if (!found.ok) {
        const reason = reasonOf(found.error);
        return setLooked({
          ok: false,
          text: reason ? t(`reason.${reason}`, reason) : problemText(t, found.error),
        });
      }
      const { certificate, issuerName, reason, remaining } = found.value;
      if (reason) return setLooked({ ok: false, text: t(`reason.${reason}`, reason) });
      if (certificate.state === 'used_up') return setLooked({ ok: false, text: t('stall.usedUp') });
      setLooked({ ok: true, source: certificate, issuer: issuerName, left: remaining });
      onSource(certificate);
    },
    [api, t, onSource],
  );

  useEffect(() => {
    if (issued > 0 && field.current) void look(field.current.value);
  }, [issued, look]);

  return (
    <div className="parent">
      <div className="row">
        <label className="wide">
          {t('stall.parentCode')}
          <input
            ref={field}
            name={`parent-${row}`}
            required
            autoComplete="off"
            onBlur={(event) => void look(event.currentTarget.value)}
          />
        </label>
        <label>
          {t('stall.parentQuantity')}
          <input name={`parentQuantity-${row}`} type="number" min="0.001" step="any" required />
        </label>
      </div>
      {looked?.ok && (
        <p className="hint parent-info">
          {looked.issuer} · {looked.source.productName} ·{' '}
          {t('stall.left', {
            quantity: looked.left,
            unit: t(`unit.${looked.source.unit}`, looked.source.unit),
          })}
        </p>
      )}
      {looked && !looked.ok && <p className="problem parent-info">{looked.text}</p>}
    </div>
  );
}
