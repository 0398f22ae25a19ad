import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context.tsx';
import { fieldsOf, Problem, useRegistryList, useRegistryWrite } from './admin-form.tsx';
import type { RegionInput, RegionView } from './registry-api.ts';
import { RegistryListCard, RegistryRowActions } from './registry-list.tsx';

const levels = ['province', 'city', 'county'] as const;

/** Adds a region (GB/T 2260 code); the wizard's first step. */
export function RegionForm({ onDone }: { onDone?: (region: RegionView) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const regions = useRegistryList('regions');
  const write = useRegistryWrite((body: RegionInput) => api.registry.createRegion(body), onDone);
  return (
    <form
      className="card admin-form"
      aria-label={t('admin.region.create')}
      onSubmit={(event) => {
        const field = fieldsOf(event);
        write.run({
          code: field('code'),
          name: field('name'),
          level: field('level') as RegionInput['level'],
          parentCode: field('parentCode') || null,
        });
      }}
    >
      <h2>{t('admin.region.create')}</h2>
      <label>
        {t('admin.field.code')}
        <input name="code" required inputMode="numeric" pattern="\d{6}" maxLength={6} autoComplete="off" />
      </label>
      <label>
        {t('admin.field.name')}
        <input name="name" required maxLength={40} autoComplete="off" />
      </label>
      <label>
        {t('admin.field.level')}
        <select aria-label={t('admin.field.level')} name="level" defaultValue="county">
          {levels.map((level) => (
            <option key={level} value={level}>
              {t(`admin.level.${level}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('admin.field.parentCode')}
        <select aria-label={t('admin.field.parentCode')} name="parentCode" defaultValue="">
          <option value="">{t('admin.none')}</option>
          {regions.data?.map((region) => (
            <option key={region.code} value={region.code}>
              {region.code} {region.name}
            </option>
          ))}
        </select>
      </label>
      <Problem text={write.problem} />
      <button type="submit" className="primary" disabled={write.busy}>
        {t('admin.create')}
      </button>
    </form>
  );
}

function RegionRow({ region }: { region: RegionView }) {
  const { t } = useTranslation();
  const api = useApi();
  return (
    <li className={region.active ? undefined : 'inactive'}>
      <span className="admin-name">
        {region.code} {region.name}
      </span>
      <span className="hint">
        {t(`admin.level.${region.level}`)}
        {!region.active && ` · ${t('admin.inactive')}`}
      </span>
      <RegistryRowActions
        editLabel={`${t('admin.region.edit')} ${region.code}`}
        active={region.active}
        read={(field) => field('name')}
        update={(name: string) => api.registry.updateRegion(region.code, { name })}
        deactivate={() => api.registry.deactivateRegion(region.code)}
        fields={
          <label>
            {t('admin.field.name')}
            <input name="name" required maxLength={40} defaultValue={region.name} />
          </label>
        }
      />
    </li>
  );
}

/**
 * Regions are the platform's (admins only). One is deactivated once none of its markets is active (the server
 * refuses REGION_IN_USE before); a deactivated region takes no new market.
 */
export function RegionsSection() {
  const { t } = useTranslation();
  const regions = useRegistryList('regions');
  return (
    <section className="admin-section">
      <RegionForm />
      <RegistryListCard
        title={t('admin.region.list')}
        named={false}
        rows={regions.data}
        error={regions.error}
        rowKey={(region) => region.code}
        row={(region) => <RegionRow region={region} />}
      />
    </section>
  );
}
