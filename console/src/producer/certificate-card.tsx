import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CertificateView } from '../api/api.ts';
import { marketTime } from '../time/market-time.ts';
import { LabelPrint } from './label-print.tsx';
import type { ProducerCertificateView } from './producer-api.ts';
import { producerProblem } from './producer-problem.ts';
import type { Producer } from './use-producer.ts';

/** A void needs a reason a regulator can read later: two characters at least, as the server asks. */
const minReason = 2;

/**
 * One of the producer's certificates: what it certifies, how much of it markets have used, where and when it was
 * scanned, its labels, and voiding it with a reason.
 */
export function CertificateCard({
  certificate,
  producer,
}: {
  certificate: ProducerCertificateView;
  producer: Producer;
}) {
  const { t, i18n } = useTranslation();
  const unit = t(`unit.${certificate.unit}`);
  const valid = certificate.status === 'valid';
  return (
    <article className={`card certificate-card ${valid ? '' : 'is-void'}`} data-certificate={certificate.id}>
      <header className="certificate-head">
        <strong>
          {certificate.productName} {certificate.quantity} {unit}
        </strong>
        <span className={`state state-${certificate.status}`}>
          {valid ? t('producer.valid') : t('producer.voided')}
        </span>
      </header>
      <dl className="certificate-facts">
        <div>
          <dt>{t('producer.id')}</dt>
          <dd>
            <code>{certificate.id}</code>
          </dd>
        </div>
        <div>
          <dt>{t('producer.issuedAt')}</dt>
          <dd>{marketTime(certificate.issuedAt, i18n.language)}</dd>
        </div>
        <div>
          <dt>{t('producer.basis')}</dt>
          <dd>{t(`basis.${certificate.basis}`)}</dd>
        </div>
      </dl>
      <UsedBar certificate={certificate} />
      {!valid && certificate.voidReason && (
        <p className="void-reason">{t('producer.voidedBecause', { reason: certificate.voidReason })}</p>
      )}
      <ScanList scans={certificate.scans} />
      {valid && (
        <details className="label-details">
          <summary>{t('producer.printTitle')}</summary>
          <LabelPrint id={certificate.id} />
        </details>
      )}
      {valid && <VoidForm certificate={certificate} producer={producer} />}
    </article>
  );
}

/** How much of the certified quantity markets have charged to it, as a bar and in words. */
function UsedBar({ certificate }: { certificate: CertificateView }) {
  const { t } = useTranslation();
  const share = certificate.quantity > 0 ? Math.min(1, certificate.usedQuantity / certificate.quantity) : 0;
  return (
    <div className="used">
      <span>
        {t('producer.used', {
          used: certificate.usedQuantity,
          quantity: certificate.quantity,
          unit: t(`unit.${certificate.unit}`),
        })}
      </span>
      <span className="used-bar" aria-hidden="true">
        <span style={{ width: `${Math.round(share * 100)}%` }} />
      </span>
    </div>
  );
}

/** Where the certificate was read: market, gate, Beijing time and the gate's verdict in the gate's colours. */
function ScanList({ scans }: { scans: ProducerCertificateView['scans'] }) {
  const { t, i18n } = useTranslation();
  return (
    <section className="scans" aria-label={t('producer.scans')}>
      <h3>{t('producer.scans')}</h3>
      {scans.length === 0 && <p className="hint">{t('producer.noScans')}</p>}
      {scans.length > 0 && (
        <ol className="scan-list">
          {scans.map((scan) => (
            <li key={scan.scanId}>
              <span className={`outcome-chip outcome-${scan.outcome}`}>
                {t(`outcome.${scan.outcome}`, { defaultValue: scan.outcome })}
              </span>
              <span className="scan-place">
                <span>
                  {t('producer.market')}：{scan.marketName}
                </span>
                {scan.gateName && (
                  <span>
                    {t('producer.gate')}：{scan.gateName}
                  </span>
                )}
                <time dateTime={scan.receivedAt}>{marketTime(scan.receivedAt, i18n.language)}</time>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Void asks for the reason in place, and refuses to send without one. */
function VoidForm({ certificate, producer }: { certificate: CertificateView; producer: Producer }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <button type="button" className="void-start" onClick={() => setAsking(true)}>
        {t('producer.void')}
      </button>
    );

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reason.trim().length < minReason) {
      setProblem(t('producer.voidReasonMissing'));
      return;
    }
    setBusy(true);
    const answer = await producer.voidCertificate(certificate.id, reason.trim());
    setBusy(false);
    if (!answer.ok) setProblem(producerProblem(t, answer.error));
  }

  return (
    <form className="void-form" onSubmit={submit} noValidate>
      <label>
        {t('producer.voidReason')}
        <input
          maxLength={200}
          value={reason}
          aria-invalid={problem !== null}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
      </label>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="danger" disabled={busy}>
          {t('producer.voidConfirm')}
        </button>
        <button
          type="button"
          onClick={() => {
            setAsking(false);
            setProblem(null);
          }}
        >
          {t('producer.cancel')}
        </button>
      </div>
    </form>
  );
}
