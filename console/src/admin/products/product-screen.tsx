import { Category, categories } from '@liangzheng/domain/category/category';
import { Unit, units } from '@liangzheng/domain/unit/unit';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context.tsx';
import { type ProductView, productsKey } from '../catalogue-api.ts';
import { useWriteOutcome, WideTable, WriteOutcome } from '../catalogue-parts.tsx';
import { ProductImport } from './product-import.tsx';

/**
 * 产品目录: every product with its category, unit and the second documents the rule set in force asks of it;
 * add, edit, deactivate and bring back; import a spreadsheet's CSV.
 */
export function ProductScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const products = useQuery({ queryKey: productsKey, queryFn: () => api.products() });
  const [editing, setEditing] = useState<number | null>(null);
  const rows = products.data?.ok ? products.data.value : [];
  const edited = rows.find((product) => product.code === editing);
  return (
    <div className="catalogue products">
      <h1>{t('catalogue.products.title')}</h1>
      <p className="hint">{t('catalogue.products.hint')}</p>
      {edited ? (
        <ProductForm key={edited.code} product={edited} onDone={() => setEditing(null)} />
      ) : (
        <ProductForm key="new" onDone={() => undefined} />
      )}
      <ProductImport />
      {products.data?.ok && rows.length === 0 && <p className="empty">{t('catalogue.products.empty')}</p>}
      {rows.length > 0 && <ProductTable products={rows} editing={editing} onEdit={setEditing} />}
    </div>
  );
}

function ProductTable({
  products,
  editing,
  onEdit,
}: {
  products: ProductView[];
  editing: number | null;
  onEdit: (code: number) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const outcome = useWriteOutcome();
  async function setActive(product: ProductView, active: boolean) {
    const request = active
      ? api.updateProduct(product.code, { active })
      : api.deactivateProduct(product.code);
    const said = (value: ProductView) =>
      active
        ? t('catalogue.products.saved', { name: value.name })
        : t('catalogue.products.deactivated', { name: value.name });
    if (await outcome.settle(request, said)) await queries.invalidateQueries({ queryKey: productsKey });
  }
  return (
    <section aria-label={t('catalogue.products.title')}>
      <WriteOutcome outcome={outcome} />
      <WideTable label={t('catalogue.products.title')}>
        <thead>
          <tr>
            <th>{t('catalogue.products.code')}</th>
            <th>{t('catalogue.products.name')}</th>
            <th>{t('catalogue.products.category')}</th>
            <th>{t('catalogue.products.unit')}</th>
            <th>{t('catalogue.products.documents')}</th>
            <th>{t('catalogue.products.status')}</th>
            <th>{t('catalogue.products.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {products.map((product) => (
            <tr
              key={product.code}
              data-code={product.code}
              className={[product.active ? '' : 'inactive', product.code === editing ? 'chosen' : '']
                .filter(Boolean)
                .join(' ')}
            >
              <td>{product.code}</td>
              <td>{product.name}</td>
              <td>{t(`category.${product.category}`)}</td>
              <td>{t(`unit.${product.unit}`)}</td>
              <td>
                {product.requiredDocuments.length === 0
                  ? t('catalogue.products.noDocuments')
                  : product.requiredDocuments.map((kind) => t(`secondDocument.${kind}`)).join('、')}
              </td>
              <td>{product.active ? t('catalogue.products.active') : t('catalogue.products.inactive')}</td>
              <td>
                <div className="actions">
                  <button
                    type="button"
                    aria-label={`${t('catalogue.products.edit')} ${product.name}`}
                    onClick={() => onEdit(product.code)}
                  >
                    {t('catalogue.products.edit')}
                  </button>
                  <button
                    type="button"
                    aria-label={`${product.active ? t('catalogue.products.deactivate') : t('catalogue.products.reactivate')} ${product.name}`}
                    onClick={() => setActive(product, !product.active)}
                  >
                    {product.active ? t('catalogue.products.deactivate') : t('catalogue.products.reactivate')}
                  </button>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </WideTable>
    </section>
  );
}

/** A new product, or the one being edited (its code stays: certificates already name it). */
function ProductForm({ product, onDone }: { product?: ProductView; onDone: () => void }) {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const outcome = useWriteOutcome();
  const title = product
    ? t('catalogue.products.editing', { name: product.name, code: product.code })
    : t('catalogue.products.create');
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    const name = String(fields.get('name'));
    const category = Category.parse(fields.get('category'));
    const unit = Unit.parse(fields.get('unit'));
    const saved = product
      ? await outcome.settle(api.updateProduct(product.code, { name, category, unit }), (value) =>
          t('catalogue.products.saved', { name: value.name }),
        )
      : await outcome.settle(
          api.createProduct({ code: Number(fields.get('code')), name, category, unit }),
          (value) => t('catalogue.products.created', { name: value.name, code: value.code }),
        );
    if (!saved) return;
    if (!product) form.reset();
    await queries.invalidateQueries({ queryKey: productsKey });
    onDone();
  }
  return (
    <form className="card" onSubmit={submit} aria-label={title}>
      <h2>{title}</h2>
      {!product && (
        <label>
          {t('catalogue.products.code')}
          <input name="code" type="number" inputMode="numeric" min={1} max={999999} required />
        </label>
      )}
      <label>
        {t('catalogue.products.name')}
        <input name="name" required maxLength={40} defaultValue={product?.name} />
      </label>
      <label>
        {t('catalogue.products.category')}
        <select name="category" defaultValue={product?.category ?? 'vegetable'}>
          {categories.map((category) => (
            <option key={category} value={category}>
              {t(`category.${category}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('catalogue.products.unit')}
        <select name="unit" defaultValue={product?.unit ?? 'kg'}>
          {units.map((unit) => (
            <option key={unit} value={unit}>
              {t(`unit.${unit}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="submit" className="chosen">
          {product ? t('catalogue.products.save') : t('catalogue.products.create')}
        </button>
        {product && (
          <button type="button" onClick={onDone}>
            {t('catalogue.cancel')}
          </button>
        )}
      </div>
      <WriteOutcome outcome={outcome} />
    </form>
  );
}
