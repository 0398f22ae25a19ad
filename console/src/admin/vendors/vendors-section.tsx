import { maskSubjectId } from '@liangzheng/domain/purchase-ledger/purchase-ledger';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context.tsx';
import { fieldsOf, Problem, useMarketNames, useRegistryList, useRegistryWrite } from '../admin-form.tsx';
import { RegistryListCard, RegistryRowActions } from '../registry-list.tsx';
import type { IssuerLink, VendorChange, VendorInput, VendorRow } from './vendor-api.ts';
import './vendors.css';

/** The vendor files the caller may see; shares its cache key with the stalls section, so every admin write refreshes it. */
function useVendorFiles() {
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

/** The file's optional fields, as both the new-file form and the edit form ask for them. */
const detailFields = ['address', 'productTypes', 'supplyChannel', 'origin'] as const;
const maxLength: Record<(typeof detailFields)[number], number> = {
  address: 120,
  productTypes: 120,
  supplyChannel: 120,
  origin: 80,
};

function DetailInputs({ vendor }: { vendor?: VendorRow }) {
  const { t } = useTranslation();
  return detailFields.map((field) => (
    <label key={field}>
      {t(`vendors.${field}`)}
      <input
        name={field}
        maxLength={maxLength[field]}
        defaultValue={vendor?.[field] ?? ''}
        autoComplete="off"
      />
    </label>
  ));
}

/** A new vendor file, filed on a stall of the caller's market that has no vendor yet (the server checks it). */
function VendorForm() {
  const { t } = useTranslation();
  const api = useApi();
  const form = useRef<HTMLFormElement>(null);
  const stalls = useRegistryList('stalls');
  const marketName = useMarketNames();
  const free = stalls.data?.filter((stall) => stall.active && stall.vendorId === null) ?? [];
  const write = useRegistryWrite(
    (body: VendorInput) => api.vendorAdmin.createVendor(body),
    () => form.current?.reset(),
  );
  return (
    <form
      ref={form}
      className="card admin-form"
      aria-label={t('vendors.create')}
      onSubmit={(event) => {
        const field = fieldsOf(event);
        write.run({
          stallId: Number(field('stallId')),
          name: field('name'),
          subjectId: field('subjectId'),
          contact: field('contact'),
          ...Object.fromEntries(detailFields.map((name) => [name, field(name)])),
        });
      }}
    >
      <h2>{t('vendors.create')}</h2>
      <label>
        {t('vendors.stall')}
        <select aria-label={t('vendors.stall')} name="stallId" required defaultValue="">
          <option value="">{t('vendors.freeStall')}</option>
          {free.map((stall) => (
            <option key={stall.id} value={stall.id}>
              {marketName(stall.marketId)} {stall.number}
            </option>
          ))}
        </select>
      </label>
      {stalls.data && free.length === 0 && <p className="hint">{t('vendors.noFreeStall')}</p>}
      <label>
        {t('vendors.name')}
        <input name="name" required maxLength={80} autoComplete="off" />
      </label>
      <label>
        {t('vendors.subjectId')}
        <input name="subjectId" required minLength={6} maxLength={30} autoComplete="off" />
      </label>
      <label>
        {t('vendors.contact')}
        <input name="contact" required minLength={3} maxLength={40} inputMode="tel" autoComplete="off" />
      </label>
      <DetailInputs />
      <Problem text={write.problem} />
      <button type="submit" className="primary" disabled={write.busy}>
        {t('admin.create')}
      </button>
    </form>
  );
}

/**
 * 开通开证身份: the vendor's own repacker identity and key (POST /vendors/:id/issuer). Once linked, the vendor's
 * users issue repack and resale certificates for its stall in its own name.
 */
function IssuerAction({ vendor }: { vendor: VendorRow }) {
  const { t } = useTranslation();
  const api = useApi();
  const [linked, setLinked] = useState<IssuerLink | null>(null);
  const link = useRegistryWrite(() => api.vendorAdmin.linkVendorIssuer(vendor.id), setLinked);
  if (vendor.issuerId !== null)
    return (
      <span className="notice" role="status">
        {linked ? t('vendors.issuer.done', { name: linked.issuerName }) : t('vendors.issuer.linked')}
      </span>
    );
  return (
    <span className="admin-actions">
      <span className="hint">{t('vendors.issuer.none')}</span>
      {vendor.active && (
        <button type="button" onClick={() => link.run(undefined)} disabled={link.busy} aria-busy={link.busy}>
          {link.busy ? t('vendors.issuer.linking') : t('vendors.issuer.link')}
        </button>
      )}
      <Problem text={link.problem} />
    </span>
  );
}

function VendorItem({ vendor }: { vendor: VendorRow }) {
  const { t } = useTranslation();
  const api = useApi();
  const details = [
    [t('vendors.contact'), vendor.contact],
    // Whoever keeps the file may see it whole on the server; the list shows it masked, as it may be on screen.
    [t('vendors.subjectId'), maskSubjectId(vendor.subjectId)],
    ...detailFields.map((field) => [t(`vendors.${field}`), vendor[field]] as const),
  ].filter(([, value]) => value);
  return (
    <li className={vendor.active ? undefined : 'inactive'}>
      <span className="admin-name">{vendor.name}</span>
      <dl className="vendor-file">
        {details.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {!vendor.active && <span className="hint">{t('admin.inactive')}</span>}
      <IssuerAction vendor={vendor} />
      <RegistryRowActions
        editLabel={`${t('vendors.edit')} ${vendor.name}`}
        editText={t('vendors.edit')}
        active={vendor.active}
        read={(field): VendorChange => ({
          contact: field('contact'),
          ...Object.fromEntries(detailFields.map((name) => [name, field(name)])),
        })}
        update={(body) => api.vendorAdmin.updateVendor(vendor.id, body)}
        fields={
          <>
            <label>
              {t('vendors.contact')}
              <input name="contact" required minLength={3} maxLength={40} defaultValue={vendor.contact} />
            </label>
            <DetailInputs vendor={vendor} />
          </>
        }
      />
    </li>
  );
}

/** 经营者档案: every vendor file the caller keeps, what it says, and whether the vendor issues in its own name. */
export function VendorsSection() {
  const { t } = useTranslation();
  const vendors = useVendorFiles();
  return (
    <section className="admin-section">
      <VendorForm />
      <RegistryListCard
        title={t('vendors.list')}
        hint={t('vendors.issuer.hint')}
        rows={vendors.data}
        error={vendors.error}
        rowKey={(vendor) => vendor.id}
        row={(vendor) => <VendorItem vendor={vendor} />}
      />
    </section>
  );
}
