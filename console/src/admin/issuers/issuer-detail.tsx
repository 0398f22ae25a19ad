import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context.tsx';
import { type IssuerKeyView, type IssuerView, issuersKey } from '../catalogue-api.ts';
import { ConfirmAction, marketTime, useWriteOutcome, WideTable, WriteOutcome } from '../catalogue-parts.tsx';
import { IssuerCredit } from './issuer-credit.tsx';

/** One issuer under management: its signing keys (rotate, mark compromised), its credit grade, and deactivation. */
export function IssuerDetail({ issuer, onClose }: { issuer: IssuerView; onClose: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const outcome = useWriteOutcome();
  return (
    <section
      className="card issuer-detail"
      aria-label={t('catalogue.issuers.managing', { name: issuer.name })}
    >
      <div className="actions">
        <h2>{t('catalogue.issuers.managing', { name: issuer.name })}</h2>
        <button type="button" onClick={onClose}>
          {t('catalogue.issuers.close')}
        </button>
      </div>
      <IssuerKeys issuer={issuer} />
      <IssuerCredit issuer={issuer} />
      {issuer.active && (
        <ConfirmAction
          danger
          label={t('catalogue.issuers.deactivate')}
          question={t('catalogue.issuers.confirmDeactivate', { name: issuer.name })}
          onConfirm={async () => {
            if (
              await outcome.settle(api.deactivateIssuer(issuer.id), (v) =>
                t('catalogue.issuers.deactivated', { name: v.name }),
              )
            )
              await queries.invalidateQueries({ queryKey: issuersKey });
          }}
        />
      )}
      <WriteOutcome outcome={outcome} />
    </section>
  );
}

function IssuerKeys({ issuer }: { issuer: IssuerView }) {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const outcome = useWriteOutcome();
  const keysKey = ['catalogue', 'issuer-keys', issuer.id];
  const keys = useQuery({ queryKey: keysKey, queryFn: () => api.issuerKeys(issuer.id) });
  const rows = keys.data?.ok ? keys.data.value : [];
  const refresh = () => queries.invalidateQueries({ queryKey: keysKey });
  return (
    <section aria-label={t('catalogue.keys.title')}>
      <h3>{t('catalogue.keys.title')}</h3>
      <p className="hint">{t('catalogue.keys.hint')}</p>
      {keys.data?.ok && rows.length === 0 && <p>{t('catalogue.keys.none')}</p>}
      {rows.length > 0 && (
        <WideTable label={t('catalogue.keys.title')}>
          <thead>
            <tr>
              <th>{t('catalogue.keys.keyId')}</th>
              <th>{t('catalogue.keys.status')}</th>
              <th>{t('catalogue.keys.validFrom')}</th>
              <th>{t('catalogue.keys.validTo')}</th>
              <th>{t('catalogue.keys.rotateAt')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((key) => (
              <KeyRow
                key={key.id}
                issuerKey={key}
                onCompromise={async () => {
                  if (
                    await outcome.settle(api.compromiseIssuerKey(key.id), (v) =>
                      t('catalogue.keys.compromised', { keyId: v.keyId }),
                    )
                  )
                    await refresh();
                }}
              />
            ))}
          </tbody>
        </WideTable>
      )}
      {issuer.active && (
        <button
          type="button"
          className="chosen"
          onClick={async () => {
            if (
              await outcome.settle(api.rotateIssuerKey(issuer.id), (v) =>
                t('catalogue.keys.rotated', { keyId: v.keyId }),
              )
            )
              await refresh();
          }}
        >
          {t('catalogue.keys.rotate')}
        </button>
      )}
      <WriteOutcome outcome={outcome} />
    </section>
  );
}

function KeyRow({
  issuerKey,
  onCompromise,
}: {
  issuerKey: IssuerKeyView;
  onCompromise: () => Promise<void>;
}) {
  const { t } = useTranslation();
  return (
    <tr data-key-id={issuerKey.keyId}>
      <td>
        <code>{issuerKey.keyId}</code>
      </td>
      <td className={`status-${issuerKey.status}`}>{t(`catalogue.keys.statuses.${issuerKey.status}`)}</td>
      <td>{marketTime(issuerKey.validFrom)}</td>
      <td>{marketTime(issuerKey.validTo)}</td>
      <td>{issuerKey.status === 'active' ? marketTime(issuerKey.rotateAt) : '—'}</td>
      <td>
        {issuerKey.status !== 'compromised' && (
          <ConfirmAction
            danger
            label={t('catalogue.keys.compromise')}
            name={`${t('catalogue.keys.compromise')} ${issuerKey.keyId}`}
            question={t('catalogue.keys.confirmCompromise', { keyId: issuerKey.keyId })}
            onConfirm={onCompromise}
          />
        )}
      </td>
    </tr>
  );
}
