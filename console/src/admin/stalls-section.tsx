import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context.tsx';
import {
  ConfirmButton,
  fieldsOf,
  ListProblem,
  MarketSelect,
  Problem,
  useMarketNames,
  useRegistryList,
  useRegistryWrite,
} from './admin-form.tsx';
import type { StallInput, StallView } from './registry-api.ts';

/** Adds a stall (its number is unique in its market); in the wizard, to the market just made. */
export function StallForm({ marketId, onDone }: { marketId?: number; onDone?: (stall: StallView) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const form = useRef<HTMLFormElement>(null);
  const write = useRegistryWrite(
    (body: StallInput) => api.registry.createStall(body),
    (stall) => {
      form.current?.reset();
      onDone?.(stall);
    },
  );
  return (
    <form
      ref={form}
      className="card admin-form"
      aria-label={t('admin.stall.create')}
      onSubmit={(event) => {
        const field = fieldsOf(event);
        write.run({ marketId: Number(field('marketId')), number: field('number') });
      }}
    >
      <h2>{t('admin.stall.create')}</h2>
      <MarketSelect marketId={marketId} />
      <label>
        {t('admin.field.number')}
        <input name="number" required maxLength={20} autoComplete="off" />
      </label>
      <Problem text={write.problem} />
      <button type="submit" className="primary" disabled={write.busy}>
        {t('admin.create')}
      </button>
    </form>
  );
}

/** The vendors a stall can be given; the vendor's own file is kept in the vendors section. */
function useVendors() {
  const api = useApi();
  return useQuery({
    queryKey: ['admin', 'vendors'],
    queryFn: async () => {
      const answer = await api.vendors();
      if (!answer.ok) throw answer.error;
      return answer.value;
    },
  });
}

function StallItem({ stall, marketName }: { stall: StallView; marketName: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const vendors = useVendors();
  const [editing, setEditing] = useState(false);
  const update = useRegistryWrite(
    (vendorId: number | null) => api.registry.updateStall(stall.id, { vendorId }),
    () => setEditing(false),
  );
  const deactivate = useRegistryWrite(() => api.registry.deactivateStall(stall.id));
  const vendorName = vendors.data?.find((v) => v.id === stall.vendorId)?.name;
  return (
    <li className={stall.active ? undefined : 'inactive'}>
      <span className="admin-name">{stall.number}</span>
      <span className="hint">
        {marketName} ·{' '}
        {stall.vendorId === null ? t('admin.stall.noVendor') : (vendorName ?? `#${stall.vendorId}`)}
        {!stall.active && ` · ${t('admin.inactive')}`}
      </span>
      {editing ? (
        <form
          className="admin-inline"
          aria-label={`${t('admin.stall.edit')} ${stall.number}`}
          onSubmit={(event) => {
            const vendorId = fieldsOf(event)('vendorId');
            update.run(vendorId ? Number(vendorId) : null);
          }}
        >
          <label>
            {t('admin.field.vendorId')}
            <select
              aria-label={t('admin.field.vendorId')}
              name="vendorId"
              defaultValue={stall.vendorId ?? ''}
            >
              <option value="">{t('admin.stall.noVendor')}</option>
              {vendors.data
                ?.filter((v) => v.active)
                .map((vendor) => (
                  <option key={vendor.id} value={vendor.id}>
                    {vendor.name}
                  </option>
                ))}
            </select>
          </label>
          <button type="submit" disabled={update.busy}>
            {t('admin.save')}
          </button>
          <button type="button" className="secondary" onClick={() => setEditing(false)}>
            {t('admin.cancel')}
          </button>
          <Problem text={update.problem} />
        </form>
      ) : (
        stall.active && (
          <span className="admin-actions">
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              {t('admin.edit')}
            </button>
            <ConfirmButton
              label={t('admin.deactivate')}
              confirm={t('admin.confirmDeactivate')}
              onConfirm={() => deactivate.run(undefined)}
              disabled={deactivate.busy}
            />
          </span>
        )
      )}
      <Problem text={deactivate.problem} />
    </li>
  );
}

export function StallsList({ marketId }: { marketId?: number }) {
  const { t } = useTranslation();
  const stalls = useRegistryList('stalls');
  const marketName = useMarketNames();
  const shown = stalls.data?.filter((s) => marketId === undefined || s.marketId === marketId) ?? [];
  return (
    <section className="card">
      <h2>{t('admin.stall.list')}</h2>
      <ListProblem error={stalls.error} />
      {stalls.data && shown.length === 0 && <p className="hint">{t('admin.empty')}</p>}
      <ul className="admin-list" aria-label={t('admin.stall.list')}>
        {shown.map((stall) => (
          <StallItem key={stall.id} stall={stall} marketName={marketName(stall.marketId)} />
        ))}
      </ul>
    </section>
  );
}

export function StallsSection() {
  return (
    <section className="admin-section">
      <StallForm />
      <StallsList />
    </section>
  );
}
