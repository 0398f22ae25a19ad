import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { publicPageUrl } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { marketDate } from '../time/market-time.ts';
import { verdictOfVerification } from '../verdict/verdict.ts';
import { VerdictPanel } from '../verdict/verdict-panel.tsx';

/**
 * The public 亮证 page: no login. /verify/<code> shows one certificate; /verify takes a code. (/v/ and /V/ belong
 * to the server's own script-free page.)
 */
export function VerifyPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { '*': code = '' } = useParams();
  const [typed, setTyped] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    const path = publicPageUrl(typed.trim()).replace(/^\/V\//, '');
    if (path) navigate(`/verify/${path}`);
  }

  return (
    <div className="verify">
      <h1>{t('verify.title')}</h1>
      <form className="code-entry" onSubmit={submit}>
        <label className="wide">
          {t('verify.enter')}
          <input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" />
        </label>
        <button type="submit" className="big">
          {t('verify.go')}
        </button>
      </form>
      {code && <VerificationCard code={code} />}
    </div>
  );
}

function VerificationCard({ code }: { code: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const result = useQuery({ queryKey: ['verify', code], queryFn: () => api.verify(code) });
  if (!result.data) return null;
  if (!result.data.ok)
    return <p className="problem">{t('error.generic', { code: result.data.error.code })}</p>;
  const v = result.data.value;
  const c = v.certificate;
  return (
    <article className="card certificate">
      <h2 className="certificate-title">承诺达标合格证</h2>
      <VerdictPanel
        verdict={verdictOfVerification(v, c?.issuedAt ?? '')}
        word={c && (v.valid || c.state === 'void') ? t(`verify.state.${c.state}`) : t('verify.invalid')}
      />
      {c && (
        <dl>
          <dt>{t('verify.product')}</dt>
          <dd>{c.productName}</dd>
          <dt>{t('verify.quantity')}</dt>
          <dd>
            {c.quantity} {t(`unit.${c.unit}`, c.unit)}
          </dd>
          <dt>{t('verify.origin')}</dt>
          <dd>{c.originText || c.originRegion}</dd>
          <dt>{t('verify.issuer')}</dt>
          <dd>
            {v.issuer?.name} {c.contact}
            {v.issuer && !v.issuer.active && <small className="notice"> {t('verify.issuerInactive')}</small>}
          </dd>
          <dt>{t('verify.credit')}</dt>
          <dd>{v.issuer?.creditGrade ?? '—'}</dd>
          <dt>{t('verify.basis')}</dt>
          <dd>{t(`basis.${c.basis}`, c.basis)}</dd>
          <dt>{t('verify.issuedAt')}</dt>
          <dd>{marketDate(c.issuedAt, i18n.language)}</dd>
        </dl>
      )}
      {v.chain.length > 0 && (
        <section>
          <h3>{t('verify.chain')}</h3>
          <ul>
            {v.chain.map((p) => (
              <li key={p.id}>
                {p.issuerName} · {p.productName} · {p.quantity} {t(`unit.${p.unit}`, p.unit)} ·{' '}
                {t(`verify.state.${p.state}`)}
              </li>
            ))}
          </ul>
        </section>
      )}
      <a href={publicPageUrl(code)}>{t('verify.serverPage')}</a>
    </article>
  );
}
