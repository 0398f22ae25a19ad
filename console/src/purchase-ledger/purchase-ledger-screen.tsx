import type { LedgerFormat } from '@liangzheng/domain/purchase-ledger/purchase-ledger';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/api.ts';
import { type LedgerDownload, useLedgerDownload } from './use-ledger-download.ts';

type StallOption = { id: number; number: string };

const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

function useStalls(marketId: number) {
  return useQuery({
    queryKey: ['stalls', marketId],
    queryFn: async (): Promise<StallOption[]> => {
      const response = await fetch(`/api/v1/stalls?marketId=${marketId}`, { credentials: 'same-origin' });
      return response.ok ? ((await response.json()) as StallOption[]) : [];
    },
  });
}

/** 台账 for market staff (and a vendor, their own stall): pick the days and a stall, download CSV or XLSX. */
export function PurchaseLedgerScreen({ user }: { user: User }) {
  const { t } = useTranslation();
  const scope = user.scope;
  if (scope.kind !== 'market' && scope.kind !== 'stall')
    return <p className="problem">{t('ledger.staffOnly')}</p>;
  return (
    <PurchaseLedger marketId={scope.marketId} ownStall={scope.kind === 'stall' ? scope.stallId : null} />
  );
}

function PurchaseLedger({ marketId, ownStall }: { marketId: number; ownStall: number | null }) {
  const { t } = useTranslation();
  const stalls = useStalls(marketId);
  const { download, start } = useLedgerDownload();
  const [format, setFormat] = useState<LedgerFormat>('csv');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const stall = ownStall ?? (Number(data.get('stallId')) || undefined);
    void start({
      marketId,
      stallId: stall ?? undefined,
      from: String(data.get('from')),
      to: String(data.get('to')),
      format,
    });
  }

  const running = download.state === 'running';
  return (
    <div className="purchase-ledger">
      <h1>{t('ledger.title')}</h1>
      <p>{t('ledger.intro')}</p>
      <form onSubmit={submit}>
        <label>
          {t('ledger.from')}
          <input name="from" type="date" required defaultValue={today()} />
        </label>
        <label>
          {t('ledger.to')}
          <input name="to" type="date" required defaultValue={today()} />
        </label>
        {ownStall === null && (
          <label>
            {t('ledger.stall')}
            <select name="stallId" defaultValue="">
              <option value="">{t('ledger.allStalls')}</option>
              {stalls.data?.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.number}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit" disabled={running} onClick={() => setFormat('csv')}>
          {t('ledger.downloadCsv')}
        </button>
        <button type="submit" disabled={running} onClick={() => setFormat('xlsx')}>
          {t('ledger.downloadXlsx')}
        </button>
      </form>
      <Progress download={download} />
    </div>
  );
}

function Progress({ download }: { download: LedgerDownload }) {
  const { t } = useTranslation();
  switch (download.state) {
    case 'idle':
      return null;
    case 'running':
      return (
        <p role="status">
          {download.format === 'csv' && download.total !== null ? (
            <>
              <progress max={Math.max(download.total, 1)} value={download.rows} />{' '}
              {t('ledger.rowsOf', { rows: download.rows, total: download.total })}
            </>
          ) : (
            t('ledger.bytes', { kb: Math.round(download.bytes / 1024), total: download.total ?? '?' })
          )}
        </p>
      );
    case 'done':
      return <p role="status">{t('ledger.done', { total: download.total ?? '?' })}</p>;
    case 'failed':
      return (
        <p role="alert" className="problem">
          {t(`ledger.errors.${download.code}`, {
            defaultValue: t('ledger.errors.other', { code: download.code }),
          })}
        </p>
      );
  }
}
