import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/api.ts';
import { CertificateCard } from './certificate-card.tsx';
import { IssueForm } from './issue-form.tsx';
import { LabelPrint } from './label-print.tsx';
import { producerProblem } from './producer-problem.ts';
import { type Producer, useProducer } from './use-producer.ts';
import './producer.css';

/**
 * The producer's screen (承诺达标合格证, 样式一): issue one certificate or the day's batch, print the labels,
 * void with a reason, and see where each certificate was scanned and how much of it is used.
 */
export function ProducerScreen({ user }: { user: User }) {
  const { t } = useTranslation();
  const producer = useProducer(user);
  if (producer.issuerId === undefined) return <p className="problem">{t('producer.noIssuer')}</p>;
  const issuer = producer.issuer.data;
  return (
    <div className="producer">
      <h1>{t('producer.title')}</h1>
      {issuer && !issuer.ok && <p className="problem">{producerProblem(t, issuer.error)}</p>}
      {issuer?.ok && (
        <section className="card issuer-card">
          <dl>
            <div>
              <dt>{t('producer.issuer')}</dt>
              <dd>{issuer.value.name}</dd>
            </div>
            <div>
              <dt>{t('producer.contact')}</dt>
              <dd>{issuer.value.contact}</dd>
            </div>
          </dl>
        </section>
      )}
      {issuer?.ok && <IssueForm producer={producer} regionCode={issuer.value.regionCode} />}
      <Made producer={producer} />
      <Issued producer={producer} />
    </div>
  );
}

/** What was just issued, with each QR and its labels: the producer's next step is printing. */
function Made({ producer }: { producer: Producer }) {
  const { t } = useTranslation();
  const card = useRef<HTMLElement>(null);
  useEffect(() => {
    if (producer.made) card.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  }, [producer.made]);
  if (!producer.made) return null;
  return (
    <section ref={card} className="card made" aria-live="polite">
      <h2>{t('producer.issued', { count: producer.made.length })}</h2>
      <p className="hint">{t('producer.printHint')}</p>
      {producer.made.map((certificate) => (
        <div key={certificate.id} className="made-one" data-certificate={certificate.id}>
          <img
            className="qr"
            src={`/api/v1/certificates/${certificate.id}/qr.svg`}
            alt={certificate.code}
            width={160}
            height={160}
          />
          <div className="made-text">
            <p>
              <strong>
                {certificate.productName} {certificate.quantity} {t(`unit.${certificate.unit}`)}
              </strong>
            </p>
            <p>
              {t('producer.id')} <code className="certificate-id">{certificate.id}</code>
            </p>
            <details>
              <summary>{t('producer.code')}</summary>
              <code className="code">{certificate.code}</code>
            </details>
            {certificate.status === 'valid' && <LabelPrint id={certificate.id} />}
          </div>
        </div>
      ))}
    </section>
  );
}

function Issued({ producer }: { producer: Producer }) {
  const { t } = useTranslation();
  const answer = producer.certificates.data;
  const rows = answer?.ok ? answer.value : [];
  return (
    <section className="issued-certificates">
      <h2>{t('producer.list')}</h2>
      {answer && !answer.ok && <p className="problem">{producerProblem(t, answer.error)}</p>}
      {answer?.ok && rows.length === 0 && <p className="hint">{t('producer.listEmpty')}</p>}
      {rows.map((certificate) => (
        <CertificateCard key={certificate.id} certificate={certificate} producer={producer} />
      ))}
      {rows.length >= producer.limit && (
        <button type="button" onClick={producer.showMore}>
          {t('producer.more')}
        </button>
      )}
    </section>
  );
}
