import { useTranslation } from 'react-i18next';
import type { User } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { fieldsOf, Problem, useRegistryList, useRegistryWrite } from './admin-form.tsx';
import type { MarketInput, MarketView } from './registry-api.ts';
import { RegistryListCard, RegistryRowActions } from './registry-list.tsx';

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
          {regions.data
            ?.filter((region) => region.active)
            .map((region) => (
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
  return (
    <li className={market.active ? undefined : 'inactive'}>
      <span className="admin-name">{market.name}</span>
      <span className="hint">
        {t(`admin.kind.${market.kind}`)} · {market.regionCode}
        {!market.active && ` · ${t('admin.inactive')}`}
      </span>
      <RegistryRowActions
        editLabel={`${t('admin.market.edit')} ${market.name}`}
        active={market.active}
        read={(field) => ({ name: field('name'), openLotLimitMinutes: Number(field('openLotLimitMinutes')) })}
        update={(body) => api.registry.updateMarket(market.id, body)}
        deactivate={user.role === 'admin' ? () => api.registry.deactivateMarket(market.id) : undefined}
        fields={
          <>
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
          </>
        }
      />
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
      <RegistryListCard
        title={t('admin.market.list')}
        named={false}
        rows={markets.data}
        error={markets.error}
        rowKey={(market) => market.id}
        row={(market) => <MarketRow market={market} user={user} />}
      />
    </section>
  );
}
