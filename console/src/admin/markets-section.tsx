import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import {
  ConfirmButton,
  fieldsOf,
  ListProblem,
  Problem,
  useRegistryList,
  useRegistryWrite,
} from './admin-form.tsx';
import type { MarketInput, MarketView } from './registry-api.ts';

const kinds = ['wholesale', 'supermarket'] as const;

/** Adds a market in a region (admins only); the wizard's second step, where `regionCode` is the region just made. */
export function MarketForm({
  regionCode,
  onDone,
}: {
  regionCode?: string;
  onDone?: (market: MarketView) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const regions = useRegistryList('regions');
  const write = useRegistryWrite((body: MarketInput) => api.registry.createMarket(body), onDone);
  return (
    <form
      className="card admin-form"
      aria-label={t('admin.market.create')}
      onSubmit={(event) => {
        const field = fieldsOf(event);
        write.run({
          name: field('name'),
          kind: field('kind') as MarketInput['kind'],
          regionCode: field('regionCode'),
          openLotLimitMinutes: Number(field('openLotLimitMinutes')),
        });
      }}
    >
      <h2>{t('admin.market.create')}</h2>
      <label>
        {t('admin.field.name')}
        <input name="name" required maxLength={80} autoComplete="off" />
      </label>
      <label>
        {t('admin.field.kind')}
        <select aria-label={t('admin.field.kind')} name="kind" defaultValue="wholesale">
          {kinds.map((kind) => (
            <option key={kind} value={kind}>
              {t(`admin.kind.${kind}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('admin.field.regionCode')}
        <select
          aria-label={t('admin.field.regionCode')}
          name="regionCode"
          required
          defaultValue={regionCode ?? ''}
          key={regionCode}
        >
          <option value="">{t('admin.choose')}</option>
          {regions.data?.map((region) => (
            <option key={region.code} value={region.code}>
              {region.code} {region.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('admin.field.openLotLimitMinutes')}
        <input name="openLotLimitMinutes" type="number" min={5} max={1440} defaultValue={120} required />
      </label>
      <Problem text={write.problem} />
      <button type="submit" className="primary" disabled={write.busy}>
        {t('admin.create')}
      </button>
    </form>
  );
}

function MarketRow({ market, user }: { market: MarketView; user: User }) {
  const { t } = useTranslation();
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const update = useRegistryWrite(
    (body: { name: string; openLotLimitMinutes: number }) => api.registry.updateMarket(market.id, body),
    () => setEditing(false),
  );
  const deactivate = useRegistryWrite(() => api.registry.deactivateMarket(market.id));
  return (
    <li className={market.active ? undefined : 'inactive'}>
      <span className="admin-name">{market.name}</span>
      <span className="hint">
        {t(`admin.kind.${market.kind}`)} · {market.regionCode}
        {!market.active && ` · ${t('admin.inactive')}`}
      </span>
      {editing ? (
        <form
          className="admin-inline"
          aria-label={`${t('admin.market.edit')} ${market.name}`}
          onSubmit={(event) => {
            const field = fieldsOf(event);
            update.run({ name: field('name'), openLotLimitMinutes: Number(field('openLotLimitMinutes')) });
          }}
        >
          <label>
            {t('admin.field.name')}
            <input name="name" required maxLength={80} defaultValue={market.name} />
          </label>
          <label>
            {t('admin.field.openLotLimitMinutes')}
            <input
              name="openLotLimitMinutes"
              type="number"
              min={5}
              max={1440}
              required
              defaultValue={market.openLotLimitMinutes}
            />
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
        market.active && (
          <span className="admin-actions">
            <button type="button" className="secondary" onClick={() => setEditing(true)}>
              {t('admin.edit')}
            </button>
            {user.role === 'admin' && (
              <ConfirmButton
                label={t('admin.deactivate')}
                confirm={t('admin.confirmDeactivate')}
                onConfirm={() => deactivate.run(undefined)}
                disabled={deactivate.busy}
              />
            )}
          </span>
        )
      )}
      <Problem text={deactivate.problem} />
    </li>
  );
}

/** Markets: an admin adds and deactivates them; a market admin sees and edits their own. */
export function MarketsSection({ user }: { user: User }) {
  const { t } = useTranslation();
  const markets = useRegistryList('markets');
  return (
    <section className="admin-section">
      {user.role === 'admin' && <MarketForm />}
      <section className="card">
        <h2>{t('admin.market.list')}</h2>
        <ListProblem error={markets.error} />
        {markets.data?.length === 0 && <p className="hint">{t('admin.empty')}</p>}
        <ul className="admin-list">
          {markets.data?.map((market) => (
            <MarketRow key={market.id} market={market} user={user} />
          ))}
        </ul>
      </section>
    </section>
  );
}
