import { Basis } from '@liangzheng/domain/certificate/certificate';
import { units } from '@liangzheng/domain/unit/unit';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useCallback, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Issued, labelUrl, type RepackInput } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { CameraScan } from '../scan/camera-scan.tsx';
import { parentIdOf } from './parent-code.ts';

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
  const [problem, setProblem] = useState<string | null>(null);

  const form = useRef<HTMLFormElement>(null);
  /** A camera read goes into the first empty source field. */
  const fillParent = useCallback((code: string) => {
    const empty = [
      ...(form.current?.querySelectorAll<HTMLInputElement>('input[name^="parent-"]') ?? []),
    ].find((field) => !field.value);
    if (empty) empty.value = code;
  }, []);

  const issuerId = vendors.data?.ok
    ? vendors.data.value.find((v) => v.issuerId !== null)?.issuerId
    : undefined;

  async function issue(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!issuerId) return setProblem(t('stall.noIssuer'));
    const data = new FormData(event.currentTarget);
    const parentUses: RepackInput['parents'] = [];
    for (const row of parents) {
      const id = await parentIdOf(api, String(data.get(`parent-${row}`)));
      if (!id.ok)
        return setProblem(`${t('stall.parentUnknown')}: ${t(`reason.${id.error.code}`, id.error.code)}`);
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
    if (!result.ok) return setProblem(t('error.generic', { code: result.error.code }));
    setProblem(null);
    setIssued(result.value);
    await queries.invalidateQueries({ queryKey: ['certificates'] });
  }

  return (
    <div className="stall">
      <form ref={form} className="card" onSubmit={issue}>
        <h2>{t('stall.repack')}</h2>
        <fieldset>
          <legend>{t('stall.parents')}</legend>
          {parents.map((row) => (
            <div className="row" key={row}>
              <label className="wide">
                {t('stall.parentCode')}
                <input name={`parent-${row}`} required autoComplete="off" />
              </label>
              <label>
                {t('stall.parentQuantity')}
                <input name={`parentQuantity-${row}`} type="number" min="0.001" step="any" required />
              </label>
            </div>
          ))}
          <CameraScan onCode={fillParent} />
          {parents.length < 8 && (
            <button type="button" onClick={() => setParents((p) => [...p, Math.max(...p) + 1])}>
              {t('stall.addParent')}
            </button>
          )}
        </fieldset>
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
          <select name="unit" defaultValue="kg">
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
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" className="big">
          {t('stall.issue')}
        </button>
      </form>
      {issued && (
        <section className="card issued">
          <h2>
            {t('stall.issued')} {issued.certificate.productName} {issued.certificate.quantity}
            {t(`unit.${issued.certificate.unit}`)}
          </h2>
          <img src={issued.qr.pngDataUrl} alt={issued.certificate.id} width={180} height={180} />
          <LabelLinks id={issued.certificate.id} />
        </section>
      )}
      <section className="card">
        <h2>{t('stall.list')}</h2>
        <table>
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
                  <LabelLinks id={c.id} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

function LabelLinks({ id }: { id: string }) {
  const { t } = useTranslation();
  return (
    <span className="labels">
      {(['60x40', '60x80'] as const).map((size) => (
        <a key={size} href={labelUrl(id, size)} target="_blank" rel="noreferrer" className="button">
          {t('stall.label')} {size.replace('x', '×')}
        </a>
      ))}
    </span>
  );
}
