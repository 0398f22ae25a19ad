import { categories } from '@liangzheng/domain/category/category';
import { type SecondDocumentKind, secondDocumentKinds } from '@liangzheng/domain/lot/lot';
import { units } from '@liangzheng/domain/unit/unit';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LotInput } from '../api/api.ts';
import { PhotoInput } from '../scan/photo-input.tsx';

/** Stored with a lot registered as "no certificate" before anyone typed a product: the record stays in Chinese. */
const undeclaredProduct = '未申报';

type LotDocument = NonNullable<LotInput['documents']>[number];
export interface SecondDocument {
  type: 'second_document';
  kind: SecondDocumentKind;
  number: string;
}

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** The paper certificate typed in from the truck's paper, when the paper box is ticked. */
function paperDocument(data: FormData, photo: string | undefined): LotDocument | null {
  if (data.get('hasPaper') !== 'on') return null;
  return {
    type: 'paper',
    fields: {
      productName: text(data, 'paperProduct'),
      quantity: Number(data.get('paperQuantity')),
      unit: text(data, 'paperUnit'),
      origin: text(data, 'paperOrigin'),
      issuerName: text(data, 'paperIssuer'),
      contact: text(data, 'paperContact'),
      issuedOn: text(data, 'paperIssuedOn'),
      basis: text(data, 'paperBasis'),
    },
    ...(photo ? { photo } : {}),
  };
}

/**
 * Registering the next truck. Every successful registration empties the form, so the next truck never inherits
 * the last one's plate, product or papers.
 */
export function LotRegistration({
  onRegister,
}: {
  onRegister: (lot: Omit<LotInput, 'marketId' | 'gateId'>) => Promise<boolean>;
}) {
  const { t } = useTranslation();
  const form = useRef<HTMLFormElement>(null);
  const [hasPaper, setHasPaper] = useState(false);
  const [photo, setPhoto] = useState<string | undefined>();
  const [formKey, setFormKey] = useState(0);
  const [seconds, setSeconds] = useState<SecondDocument[]>([]);

  async function register(noCertificate: boolean) {
    const element = form.current;
    if (!element || (!noCertificate && !element.reportValidity())) return;
    const data = new FormData(element);
    const paper = noCertificate ? null : paperDocument(data, photo);
    const registered = await onRegister({
      plate: text(data, 'plate'),
      supplier: text(data, 'supplier'),
      supplierAddress: text(data, 'supplierAddress'),
      supplierContact: text(data, 'supplierContact'),
      declaration: {
        productName: text(data, 'productName') || undeclaredProduct,
        category: text(data, 'category') as LotInput['declaration']['category'],
        quantity: Number(data.get('quantity')) || 1,
        unit: text(data, 'unit'),
      },
      noCertificate,
      documents: [...(paper ? [paper] : []), ...seconds],
    });
    if (!registered) return;
    // A new key remounts the fields: every value, the photo and the ticked boxes start over.
    setFormKey((key) => key + 1);
    setHasPaper(false);
    setPhoto(undefined);
    setSeconds([]);
  }

  return (
    <form
      key={formKey}
      ref={form}
      className="lot-form card"
      onSubmit={(event) => {
        event.preventDefault();
        void register(false);
      }}
    >
      <h2>{t('gate.register')}</h2>
      <label>
        {t('gate.plate')}
        <input name="plate" maxLength={16} autoComplete="off" />
      </label>
      <label>
        {t('gate.supplier')}
        <input name="supplier" maxLength={80} autoComplete="off" />
      </label>
      <label>
        {t('gateLot.supplierAddress')}
        <input name="supplierAddress" maxLength={120} autoComplete="off" />
      </label>
      <label>
        {t('gateLot.supplierContact')}
        <input name="supplierContact" type="tel" inputMode="tel" maxLength={40} autoComplete="off" />
      </label>
      <label>
        {t('gate.product')}
        <input name="productName" maxLength={40} required autoComplete="off" />
      </label>
      <label>
        {t('gate.category')}
        <select name="category" defaultValue="vegetable">
          {categories.map((c) => (
            <option key={c} value={c}>
              {t(`category.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('gate.quantity')}
        <input name="quantity" type="number" inputMode="decimal" min="0.001" step="any" required />
      </label>
      <UnitSelect name="unit" />
      <label className="check">
        <input
          type="checkbox"
          className="big-check"
          name="hasPaper"
          checked={hasPaper}
          onChange={(event) => setHasPaper(event.target.checked)}
        />
        {t('gate.hasPaper')}
      </label>
      {hasPaper && <PaperFields onPhoto={setPhoto} />}
      <SecondDocuments documents={seconds} onChange={setSeconds} />
      <div className="actions">
        <button type="submit" className="big">
          {t('gate.submitLot')}
        </button>
        <button type="button" className="big danger" onClick={() => void register(true)}>
          {t('gate.noCertificate')}
        </button>
      </div>
    </form>
  );
}

function UnitSelect({ name }: { name: string }) {
  const { t } = useTranslation();
  return (
    <label>
      {t('gate.unit')}
      <select name={name} defaultValue="kg">
        {units.map((u) => (
          <option key={u} value={u}>
            {t(`unit.${u}`)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A paper certificate's eight fields (2026 template) and a photo of it. */
function PaperFields({ onPhoto }: { onPhoto: (base64: string | undefined) => void }) {
  const { t } = useTranslation();
  return (
    <fieldset className="paper">
      <legend>{t('gate.paper')}</legend>
      <label>
        {t('gate.product')}
        <input name="paperProduct" maxLength={40} required autoComplete="off" />
      </label>
      <label>
        {t('gate.quantity')}
        <input name="paperQuantity" type="number" inputMode="decimal" min="0.001" step="any" required />
      </label>
      <UnitSelect name="paperUnit" />
      <label>
        {t('gate.origin')}
        <input name="paperOrigin" maxLength={80} required autoComplete="off" />
      </label>
      <label>
        {t('gate.issuer')}
        <input name="paperIssuer" maxLength={80} required autoComplete="off" />
      </label>
      <label>
        {t('gate.contact')}
        <input name="paperContact" maxLength={40} required autoComplete="off" />
      </label>
      <label>
        {t('gate.issuedOn')}
        <input name="paperIssuedOn" type="date" required />
      </label>
      <label>
        {t('gate.basis')}
        <select name="paperBasis" defaultValue="quality_control">
          {(['quality_control', 'self_tested', 'commissioned_test'] as const).map((b) => (
            <option key={b} value={b}>
              {t(`basis.${b}`)}
            </option>
          ))}
        </select>
      </label>
      <PhotoInput onPhoto={onPhoto} />
    </fieldset>
  );
}

/**
 * Second documents (动物检疫合格证明, 肉品品质检验合格证 …): a kind and its number, added one by one. Used when
 * registering and, for an open lot, afterwards.
 */
export function SecondDocuments({
  documents,
  onChange,
}: {
  documents: SecondDocument[];
  onChange: (documents: SecondDocument[]) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<SecondDocumentKind>('animal_quarantine');
  const [number, setNumber] = useState('');
  const add = () => {
    if (!number.trim()) return;
    onChange([...documents, { type: 'second_document', kind, number: number.trim() }]);
    setNumber('');
  };
  return (
    <fieldset className="second-documents">
      <legend>{t('gate.secondDocuments')}</legend>
      <label>
        {t('gate.documentKind')}
        <select value={kind} onChange={(event) => setKind(event.target.value as SecondDocumentKind)}>
          {secondDocumentKinds.map((k) => (
            <option key={k} value={k}>
              {t(`secondDocument.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('gate.documentNumber')}
        <input
          value={number}
          maxLength={64}
          autoComplete="off"
          onChange={(event) => setNumber(event.target.value)}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            add();
          }}
        />
      </label>
      <button type="button" onClick={add}>
        {t('gate.addDocument')}
      </button>
      {documents.length > 0 && (
        <ul className="documents">
          {documents.map((d) => (
            <li key={`${d.kind}-${d.number}`}>
              {t(`secondDocument.${d.kind}`)} · {d.number}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
