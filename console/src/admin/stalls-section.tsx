import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context.tsx';
import {
  fieldsOf,
  MarketSelect,
  Problem,
  useMarketNames,
  useRegistryList,
  useRegistryWrite,
} from './admin-form.tsx';
import type { StallInput, StallView } from './registry-api.ts';
import { RegistryListCard, RegistryRowActions } from './registry-list.tsx';

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
  const vendorName = vendors.data?.find((v) => v.id === stall.vendorId)?.name;
  return (
    <li className={stall.active ? undefined : 'inactive'}>
      <span className="admin-name">{stall.number}</span>
      <span className="hint">
        {marketName} ·{' '}
        {stall.vendorId === null ? t('admin.stall.noVendor') : (vendorName ?? `#${stall.vendorId}`)}
        {!stall.active && ` · ${t('admin.inactive')}`}
      </span>
      <RegistryRowActions
        editLabel={`${t('admin.stall.edit')} ${stall.number}`}
        active={stall.active}
        read={(field) => (field('vendorId') ? Number(field('vendorId')) : null)}
        update={(vendorId: number | null) => api.registry.updateStall(stall.id, { vendorId })}
        deactivate={() => api.registry.deactivateStall(stall.id)}
        fields={
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
        }
      />
    </li>
  );
}

export function StallsList({ marketId }: { marketId?: number }) {
  const { t } = useTranslation();
  const stalls = useRegistryList('stalls');
  const marketName = useMarketNames();
  return (
    <RegistryListCard
      title={t('admin.stall.list')}
      rows={stalls.data?.filter((s) => marketId === undefined || s.marketId === marketId)}
      error={stalls.error}
      rowKey={(stall) => stall.id}
      row={(stall) => <StallItem stall={stall} marketName={marketName(stall.marketId)} />}
    />
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
