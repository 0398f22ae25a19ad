import { IssuerKind } from '@liangzheng/domain/registry/registry-schemas';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context.tsx';
import { type IssuerInput, type IssuerView, issuersKey, type RegionView } from '../catalogue-api.ts';
import { useWriteOutcome, WideTable, WriteOutcome } from '../catalogue-parts.tsx';
import { IssuerDetail } from './issuer-detail.tsx';

/** 生产主体: the issuers the platform signs for, a form to add one, and one issuer's keys, grade and state. */
export function IssuerScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const issuers = useQuery({ queryKey: issuersKey, queryFn: () => api.issuers() });
  const regions = useQuery({ queryKey: ['catalogue', 'regions'], queryFn: () => api.regions() });
  const [managedId, setManagedId] = useState<number | null>(null);
  const rows = issuers.data?.ok ? issuers.data.value : [];
  const regionList = regions.data?.ok ? regions.data.value : [];
  const managed = rows.find((issuer) => issuer.id === managedId);
  return (
    <div className="catalogue issuers">
      <h1>{t('catalogue.issuers.title')}</h1>
      <CreateIssuer regions={regionList} onCreated={setManagedId} />
      {issuers.data && !issuers.data.ok && (
        <p className="problem" role="alert">
          {issuers.data.error.message} ({issuers.data.error.code})
        </p>
      )}
      {issuers.data?.ok && rows.length === 0 && <p className="empty">{t('catalogue.issuers.empty')}</p>}
      {rows.length > 0 && (
        <IssuerTable
          issuers={rows}
          regions={regionList}
          managedId={managedId}
          onManage={(id) => setManagedId(id === managedId ? null : id)}
        />
      )}
      {managed && <IssuerDetail key={managed.id} issuer={managed} onClose={() => setManagedId(null)} />}
    </div>
  );
}

function regionName(regions: RegionView[], code: string): string {
  const region = regions.find((r) => r.code === code);
  return region ? `${region.name} ${code}` : code;
}

function IssuerTable({
  issuers,
  regions,
  managedId,
  onManage,
}: {
  issuers: IssuerView[];
  regions: RegionView[];
  managedId: number | null;
  onManage: (id: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <WideTable label={t('catalogue.issuers.title')}>
      <thead>
        <tr>
          <th>{t('catalogue.issuers.id')}</th>
          <th>{t('catalogue.issuers.name')}</th>
          <th>{t('catalogue.issuers.kind')}</th>
          <th>{t('catalogue.issuers.region')}</th>
          <th>{t('catalogue.issuers.grade')}</th>
          <th>{t('catalogue.issuers.status')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {issuers.map((issuer) => (
          <tr
            key={issuer.id}
            className={[issuer.active ? '' : 'inactive', issuer.id === managedId ? 'chosen' : '']
              .filter(Boolean)
              .join(' ')}
          >
            <td>{issuer.id}</td>
            <td>
              {issuer.name}
              <br />
              <small>{issuer.subjectId}</small>
            </td>
            <td>{t(`catalogue.issuers.kinds.${issuer.kind}`)}</td>
            <td>{regionName(regions, issuer.regionCode)}</td>
            <td>{issuer.creditGrade}</td>
            <td>{issuer.active ? t('catalogue.issuers.active') : t('catalogue.issuers.inactive')}</td>
            <td>
              <button
                type="button"
                aria-pressed={issuer.id === managedId}
                aria-label={`${t('catalogue.issuers.manage')} ${issuer.name}`}
                onClick={() => onManage(issuer.id)}
              >
                {t('catalogue.issuers.manage')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </WideTable>
  );
}

/** A new issuer: the server checks the 统一社会信用代码 and the region, and makes its first signing key. */
function CreateIssuer({ regions, onCreated }: { regions: RegionView[]; onCreated: (id: number) => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const outcome = useWriteOutcome();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const issuer: IssuerInput = {
      kind: IssuerKind.parse(fields.get('kind')),
      name: String(fields.get('name')),
      subjectIdKind: fields.get('subjectIdKind') === 'other' ? 'other' : 'uscc',
      subjectId: String(fields.get('subjectId')),
      contact: String(fields.get('contact')),
      regionCode: String(fields.get('regionCode')),
    };
    const created = await outcome.settle(api.createIssuer(issuer), (value) =>
      t('catalogue.issuers.created', { name: value.name, id: value.id }),
    );
    if (created) {
      form.reset();
      await queries.invalidateQueries({ queryKey: issuersKey });
      onCreated(created.id);
    }
  }
  return (
    <form className="card" onSubmit={submit} aria-label={t('catalogue.issuers.create')}>
      <h2>{t('catalogue.issuers.create')}</h2>
      <label>
        {t('catalogue.issuers.kind')}
        <select name="kind" defaultValue="producer">
          {IssuerKind.options.map((kind) => (
            <option key={kind} value={kind}>
              {t(`catalogue.issuers.kinds.${kind}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('catalogue.issuers.name')}
        <input name="name" required maxLength={80} />
      </label>
      <label>
        {t('catalogue.issuers.subjectIdKind')}
        <select name="subjectIdKind" defaultValue="uscc">
          <option value="uscc">{t('catalogue.issuers.subjectIdKinds.uscc')}</option>
          <option value="other">{t('catalogue.issuers.subjectIdKinds.other')}</option>
        </select>
      </label>
      <label>
        {t('catalogue.issuers.subjectId')}
        <input name="subjectId" required minLength={6} maxLength={30} autoComplete="off" />
      </label>
      <label>
        {t('catalogue.issuers.contact')}
        <input name="contact" type="tel" required minLength={3} maxLength={40} />
      </label>
      <label>
        {t('catalogue.issuers.region')}
        <select name="regionCode" required defaultValue="">
          <option value="" disabled>
            {t('catalogue.issuers.chooseRegion')}
          </option>
          {regions.map((region) => (
            <option key={region.code} value={region.code}>
              {region.name} {region.code}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="chosen">
        {t('catalogue.issuers.create')}
      </button>
      <WriteOutcome outcome={outcome} />
    </form>
  );
}
