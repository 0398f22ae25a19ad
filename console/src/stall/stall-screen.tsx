import { Basis } from '@liangzheng/domain/certificate/certificate';
import { units } from '@liangzheng/domain/unit/unit';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Issued, labelUrl, type RepackInput } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { problemText } from '../api/api-problem.ts';
import { CameraScan } from '../scan/camera-scan.tsx';
import { parentIdOf } from './parent-code.ts';
import { ParentRow } from './parent-row.tsx';
import { printLabel } from './print-label.ts';

/** A vendor's stall: issue a repack certificate from the certificates the goods came with, print, list. */
export function StallScreen() {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const vendors = useQuery({ queryKey: ['vendors'], queryFn: api.vendors });
  const certificates = useQuery({
    queryKey: ['certificates'],
    queryFn: () => api.certificates({ limit: 100 }),
  });
  const [parents, setParents] = useState([0]);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [issuedCount, setIssuedCount] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  // One press, one certificate: a second tap while the first is in flight would charge the sources twice.
  const [issuing, setIssuing] = useState(false);

  const form = useRef<HTMLFormElement>(null);
  const issuedCard = useRef<HTMLElement>(null);
  // The new QR and its print buttons are the vendor's next step: bring them into view, below the long form.
  useEffect(() => {
    if (issued) issuedCard.current?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [issued]);
  /** A camera read goes into the first empty source field. */
  const fillParent = useCallback((code: string) => {
    const empty = [
      ...(form.current?.querySelectorAll<HTMLInputElement>('input[name^="parent-"]') ?? []),
    ].find((field) => !field.value);
    if (!empty) return;
    empty.value = code;
    // Checked as if the vendor had typed it and moved on.
    empty.dispatchEvent(new FocusEvent('focusout', { bubbles: true }));
  }, []);

  /** The first source read names the product code, name and unit, unless the vendor has already chosen them. */
  const suggestFrom = useCallback((source: { productCode: number; productName: string; unit: string }) => {
    const fields = form.current?.elements;
    const code = fields?.namedItem('productCode');
    const name = fields?.namedItem('productName');
    const unit = fields?.namedItem('unit');
    if (code instanceof HTMLInputElement && !code.value) code.value = String(source.productCode);
    if (name instanceof HTMLInputElement && !name.value) name.value = source.productName;
    if (unit instanceof HTMLSelectElement && !unit.dataset.chosen) unit.value = source.unit;
  }, []);

  const issuerId = vendors.data?.ok
    ? vendors.data.value.find((v) => v.issuerId !== null)?.issuerId
    : undefined;

  async function issue(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (issuing) return;
    setIssuing(true);
    try {
      await issueFrom(new FormData(event.currentTarget));
    } finally {
      setIssuing(false);
    }
  }

  async function issueFrom(data: FormData) {
    if (!issuerId) return setProblem(t('stall.noIssuer'));
    const parentUses: RepackInput['parents'] = [];
    for (const row of parents) {
      const id = await parentIdOf(api, String(data.get(`parent-${row}`)));
      if (!id.ok)
        return setProblem(
          `${t('stall.parentUnknown')}：${t(`reason.${id.error.code}`, { defaultValue: '' }) || problemText(t, id.error)}`,
        );
      parentUses.push({ certificateId: id.value, quantity: Number(data.get(`parentQuantity-${row}`)) });
    }
    const result = await api.repack({
      issuerId,
      parents: parentUses,
      productCode: Number(data.get('productCode')),
      productName: String(data.get('productName')) || undefined,
      quantity: Number(data.get('quantity')),
      unit: String(data.get('unit')) as RepackInput['unit'],
      originRegion: String(data.get('originRegion')),
      basis: String(data.get('basis')) as RepackInput['basis'],
    });
    if (!result.ok) return setProblem(problemText(t, result.error));
    setProblem(null);
    setIssued(result.value);
    setIssuedCount((n) => n + 1);
    await queries.invalidateQueries({ queryKey: ['certificates'] });
  }

  return (
    <div className="stall">
      <form ref={form} className="card" onSubmit={issue}>
        <h2>{t('stall.repack')}</h2>
        <fieldset>
          <legend>{t('stall.parents')}</legend>
          {parents.map((row) => (
            <ParentRow key={row} row={row} onSource={suggestFrom} issued={issuedCount} />
          ))}
          <CameraScan onCode={fillParent} />
          {parents.length < 8 && (
            <button type="button" onClick={() => setParents((p) => [...p, Math.max(...p) + 1])}>
              {t('stall.addParent')}
            </button>
          )}
        </fieldset>
        <div className="fields">
          <label>
            {t('stall.productCode')}
            <input name="productCode" type="number" min="1" required />
          </label>
          <label>
            {t('stall.productName')}
            <input name="productName" maxLength={40} />
          </label>
          <label>
            {t('stall.quantity')}
            <input name="quantity" type="number" min="0.001" step="any" required />
          </label>
          <label>
            {t('stall.unit')}
            <select
              name="unit"
              defaultValue="kg"
              onChange={(event) => {
                event.currentTarget.dataset.chosen = 'yes';
              }}
            >
              {units.map((u) => (
                <option key={u} value={u}>
                  {t(`unit.${u}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('stall.origin')}
            <input name="originRegion" pattern="\d{6}" defaultValue="430102" required />
          </label>
          <label>
            {t('stall.basis')}
            <select name="basis" defaultValue="quality_control">
              {Basis.options.map((b) => (
                <option key={b} value={b}>
                  {t(`basis.${b}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="big" disabled={issuing} aria-busy={issuing}>
          {issuing ? t('stall.issuing') : t('stall.issue')}
        </button>
      </form>
      {issued && (
        <section ref={issuedCard} className="card issued" aria-live="polite">
          <h2>
            {t('stall.issued')} {issued.certificate.productName} {issued.certificate.quantity}
            {t(`unit.${issued.certificate.unit}`)}
          </h2>
          <div className="issued-body">
            <img
              className="qr"
              src={issued.qr.pngDataUrl}
              alt={issued.certificate.code}
              width={220}
              height={220}
            />
            <div>
              <p>
                {t('stall.id')} <strong>{issued.certificate.id}</strong>
              </p>
              <details>
                <summary>{t('stall.code')}</summary>
                <code className="code">{issued.certificate.code}</code>
              </details>
              <LabelActions id={issued.certificate.id} withPreview />
              <p className="hint">{t('stall.printHint')}</p>
            </div>
          </div>
        </section>
      )}
      <section className="card">
        <h2>{t('stall.list')}</h2>
        {certificates.data?.ok && certificates.data.value.length === 0 && (
          <p className="hint">{t('stall.listEmpty')}</p>
        )}
        {certificates.data && !certificates.data.ok && (
          <p className="problem">{problemText(t, certificates.data.error)}</p>
        )}
        <table className="issued-list">
          <tbody>
            {(certificates.data?.ok ? certificates.data.value : []).map((c) => (
              <tr key={c.id}>
                <td>{c.id}</td>
                <td>{c.productName}</td>
                <td>
                  {c.quantity} {t(`unit.${c.unit}`)}
                </td>
                <td>{new Date(c.issuedAt).toLocaleDateString(i18n.language)}</td>
                <td>{c.status === 'valid' ? t('verify.valid') : t('verify.invalid')}</td>
                <td>
                  <LabelActions id={c.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/**
 * Per label size: print straight to the printer's dialog (the label PDF already has the label's page size), and
 * for a new certificate also a preview of the PDF in a new tab.
 */
function LabelActions({ id, withPreview = false }: { id: string; withPreview?: boolean }) {
  const { t } = useTranslation();
  return (
    <span className="labels">
      {(['60x40', '60x80'] as const).map((size) => {
        const shown = size.replace('x', '×');
        return (
          <span key={size} className="label-size">
            <button type="button" onClick={() => printLabel(labelUrl(id, size))}>
              {t('stall.print')} {shown}
            </button>
            {withPreview && (
              <a href={labelUrl(id, size)} target="_blank" rel="noreferrer" className="button">
                {t('stall.preview')} {shown}
              </a>
            )}
          </span>
        );
      })}
    </span>
  );
}
