import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CertificateView, labelUrl } from '../api/api.ts';
import { problemText } from '../api/api-problem.ts';
import { marketDate, marketTime } from '../time/market-time.ts';
import { InventoryList } from './inventory-list.tsx';
import { printLabel } from './print-label.ts';
import { ReceiptForm } from './receipt-form.tsx';
import { TransformationForm } from './transformation-form.tsx';
import { DeclaredSources } from './unverified-sources.tsx';
import { type Stall, useStall } from './use-stall.ts';

/**
 * A vendor's stall (docs/custody.md): its inventory, one form to repack or resell from it, what was just made
 * with its QR codes and labels, the history of repacks and resales, and the certificates issued (void, reprint).
 */
export function StallScreen() {
  const { t } = useTranslation();
  const stall = useStall();
  if (!stall.loading && stall.stallId === undefined) return <p className="hint">{t('custody.noStall')}</p>;
  return (
    <div className="stall">
      <InventoryList stall={stall} />
      <TransformationForm stall={stall} />
      <ReceiptForm stall={stall} />
      <Made stall={stall} />
      <History stall={stall} />
      <Issued stall={stall} />
    </div>
  );
}

function Made({ stall }: { stall: Stall }) {
  const { t } = useTranslation();
  const card = useRef<HTMLElement>(null);
  // The new QR codes and their print buttons are the vendor's next step: bring them into view below the form.
  useEffect(() => {
    if (stall.made) card.current?.scrollIntoView?.({ behavior: 'smooth', block: 'start' });
  }, [stall.made]);
  if (!stall.made) return null;
  return (
    <section ref={card} className="card issued" aria-live="polite">
      <h2>{t('custody.made_title', { count: stall.made.outputs.length })}</h2>
      {stall.made.outputs.map((certificate) => (
        <div key={certificate.id} className="issued-body">
          <img
            className="qr"
            src={`/api/v1/certificates/${certificate.id}/qr.svg`}
            alt={certificate.code}
            width={180}
            height={180}
          />
          <div>
            <p>
              {certificate.productName} {certificate.quantity} {t(`unit.${certificate.unit}`)}
            </p>
            <p>
              {t('stall.id')} <strong>{certificate.id}</strong>
            </p>
            {certificate.unverifiedSources && (
              <p className="notice" role="note">
                {t('custody.unverified.made')}
              </p>
            )}
            <details>
              <summary>{t('stall.code')}</summary>
              <code className="code">{certificate.code}</code>
            </details>
            <LabelActions id={certificate.id} withPreview />
          </div>
        </div>
      ))}
      <p className="hint">{t('stall.printHint')}</p>
    </section>
  );
}

function History({ stall }: { stall: Stall }) {
  const { t, i18n } = useTranslation();
  const rows = stall.history.data?.ok ? stall.history.data.value : [];
  return (
    <section className="card">
      <h2>{t('custody.history')}</h2>
      {stall.history.data?.ok && rows.length === 0 && <p className="hint">{t('custody.historyEmpty')}</p>}
      {rows.length > 0 && (
        <div className="scroll-x">
          <table className="history">
            <thead>
              <tr>
                <th scope="col">{t('custody.date')}</th>
                <th scope="col">{t('custody.kind')}</th>
                <th scope="col">{t('custody.taken')}</th>
                <th scope="col">{t('custody.made')}</th>
                <th scope="col">{t('custody.loss')}</th>
                <th scope="col">{t('custody.outputs')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.flatMap((row) => [
                <tr key={row.id}>
                  <td>{marketTime(row.at, i18n.language)}</td>
                  <td>{t(`custody.short.${row.kind}`)}</td>
                  <td>
                    {row.taken} {t(`unit.${row.unit}`)}
                  </td>
                  <td>
                    {row.made} {t(`unit.${row.unit}`)}
                  </td>
                  <td>
                    {row.loss} {t(`unit.${row.unit}`)}
                  </td>
                  <td>
                    {row.outputs.map((o) => (
                      <code key={o.id}>{o.id} </code>
                    ))}
                  </td>
                </tr>,
                // What the repack took beyond its inventory, on a row of its own: in view on a phone.
                ...(row.unverifiedSources?.length
                  ? [
                      <tr key={`${row.id}-sources`} className="sources">
                        <td colSpan={6}>
                          <div className="declared">
                            <small>{t('custody.unverified.declared')}</small>
                            <DeclaredSources transformationId={row.id} sources={row.unverifiedSources} />
                          </div>
                        </td>
                      </tr>,
                    ]
                  : []),
              ])}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Issued({ stall }: { stall: Stall }) {
  const { t, i18n } = useTranslation();
  const answer = stall.certificates.data;
  const rows = answer?.ok ? answer.value : [];
  return (
    <section className="card">
      <h2>{t('stall.list')}</h2>
      {answer && !answer.ok && <p className="problem">{problemText(t, answer.error)}</p>}
      {answer?.ok && rows.length === 0 && <p className="hint">{t('stall.listEmpty')}</p>}
      {rows.length > 0 && (
        <div className="scroll-x">
          <table className="issued-list">
            <thead>
              <tr>
                <th scope="col">{t('stall.id')}</th>
                <th scope="col">{t('custody.product')}</th>
                <th scope="col">{t('stall.quantity')}</th>
                <th scope="col">{t('custody.date')}</th>
                <th scope="col">{t('custody.state')}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td>{c.productName}</td>
                  <td>
                    {c.quantity} {t(`unit.${c.unit}`)}
                  </td>
                  <td>{marketDate(c.issuedAt, i18n.language)}</td>
                  <td>{c.status === 'valid' ? t('verify.valid') : t('custody.voided')}</td>
                  <td>
                    <LabelActions id={c.id} />
                    {c.status === 'valid' && <VoidButton certificate={c} stall={stall} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Void with a reason: asked for in place, so the vendor sees what is voided. */
function VoidButton({ certificate, stall }: { certificate: CertificateView; stall: Stall }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)}>
        {t('custody.void')}
      </button>
    );
  return (
    <form
      className="void"
      onSubmit={async (event) => {
        event.preventDefault();
        await stall.voidCertificate(certificate.id, reason);
        setAsking(false);
      }}
    >
      <label>
        {t('custody.voidReason')}
        <input
          required
          minLength={2}
          maxLength={200}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
        />
      </label>
      <button type="submit">{t('custody.void')}</button>
    </form>
  );
}

/** The route takes at most this many copies in one label. */
const maxCopies = 50;

/**
 * How many labels to print: one per pack the vendor made, so big − and + buttons beside the number (gloves).
 */
function CopiesControl({ copies, onCopies }: { copies: number; onCopies: (copies: number) => void }) {
  const { t } = useTranslation();
  const set = (value: number) => onCopies(Math.min(maxCopies, Math.max(1, Math.round(value) || 1)));
  return (
    <span className="copies">
      <button type="button" aria-label={t('stall.fewerCopies')} onClick={() => set(copies - 1)}>
        −
      </button>
      <label>
        {t('stall.copies')}
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={maxCopies}
          value={copies}
          onChange={(event) => set(Number(event.currentTarget.value))}
        />
      </label>
      <button type="button" aria-label={t('stall.moreCopies')} onClick={() => set(copies + 1)}>
        +
      </button>
    </span>
  );
}

/**
 * Per label size: print straight to the printer's dialog (the label PDF already has the label's page size, one
 * page per copy), and for a new certificate also a preview of the PDF in a new tab.
 */
function LabelActions({ id, withPreview = false }: { id: string; withPreview?: boolean }) {
  const { t } = useTranslation();
  const [copies, setCopies] = useState(1);
  return (
    <span className="labels">
      <CopiesControl copies={copies} onCopies={setCopies} />
      {(['60x40', '60x80'] as const).map((size) => {
        const shown = size.replace('x', '×');
        return (
          <span key={size} className="label-size">
            <button type="button" onClick={() => printLabel(labelUrl(id, size, copies))}>
              {t('stall.print')} {shown}
            </button>
            {withPreview && (
              <a href={labelUrl(id, size, copies)} target="_blank" rel="noreferrer" className="button">
                {t('stall.preview')} {shown}
              </a>
            )}
          </span>
        );
      })}
    </span>
  );
}
