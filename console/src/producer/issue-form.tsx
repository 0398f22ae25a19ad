import { Basis } from '@liangzheng/domain/certificate/certificate';
import type { Product } from '@liangzheng/domain/product/product';
import { units } from '@liangzheng/domain/unit/unit';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  certificateItems,
  emptyLine,
  type IssueCommon,
  type IssueLine,
  isReady,
  maxPerLine,
  totalCertificates,
  withProduct,
} from './issue-lines.ts';
import { producerProblem } from './producer-problem.ts';
import type { Producer } from './use-producer.ts';

/**
 * One certificate or a day's batch in the 2026 template: a line per product (quantity on each certificate and
 * how many), the origin and basis they share. Sent as one request, so the day is signed all or none.
 */
export function IssueForm({ producer, regionCode }: { producer: Producer; regionCode: string }) {
  const { t } = useTranslation();
  const catalogue = producer.products.data?.ok
    ? producer.products.data.value.filter((product) => product.active)
    : [];
  const [lines, setLines] = useState<IssueLine[]>([emptyLine(1)]);
  const [common, setCommon] = useState<IssueCommon>({
    originRegion: regionCode,
    originText: '',
    basis: 'quality_control',
  });
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const total = totalCertificates(lines);

  const change = (key: number, next: (line: IssueLine) => IssueLine) =>
    setLines((all) => all.map((line) => (line.key === key ? next(line) : line)));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !lines.every(isReady)) return;
    setBusy(true);
    setProblem(null);
    const answer = await producer.issue(certificateItems(lines, common));
    setBusy(false);
    if (!answer.ok) {
      setProblem(producerProblem(t, answer.error));
      return;
    }
    setLines([emptyLine(Math.max(...lines.map((l) => l.key)) + 1)]);
  }

  const products = producer.products.data;
  if (products && !products.ok) return <p className="problem">{producerProblem(t, products.error)}</p>;
  if (products?.ok && catalogue.length === 0) return <p className="problem">{t('producer.noProducts')}</p>;

  return (
    <form className="card issue-form" onSubmit={submit}>
      <h2>{t('producer.lines')}</h2>
      {lines.map((line, index) => (
        <LineFields
          key={line.key}
          line={line}
          index={index}
          catalogue={catalogue}
          onChange={(next) => change(line.key, next)}
          onRemove={
            lines.length > 1 ? () => setLines((all) => all.filter((l) => l.key !== line.key)) : undefined
          }
        />
      ))}
      <button
        type="button"
        onClick={() => setLines((all) => [...all, emptyLine(Math.max(...all.map((l) => l.key)) + 1)])}
      >
        {t('producer.addLine')}
      </button>
      <div className="issue-common">
        <label>
          {t('producer.regionCode')}
          <input
            required
            inputMode="numeric"
            pattern="\d{6}"
            maxLength={6}
            value={common.originRegion}
            onChange={(e) => setCommon({ ...common, originRegion: e.currentTarget.value.trim() })}
          />
        </label>
        <label>
          {t('producer.originText')}
          <input
            maxLength={60}
            value={common.originText}
            onChange={(e) => setCommon({ ...common, originText: e.currentTarget.value })}
          />
        </label>
        <label>
          {t('producer.basis')}
          <select
            value={common.basis}
            onChange={(e) => setCommon({ ...common, basis: Basis.parse(e.currentTarget.value) })}
          >
            {Basis.options.map((basis) => (
              <option key={basis} value={basis}>
                {t(`basis.${basis}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <button type="submit" className="big" disabled={busy}>
        {busy ? t('producer.issuing') : t('producer.issue', { count: total })}
      </button>
    </form>
  );
}

function LineFields({
  line,
  index,
  catalogue,
  onChange,
  onRemove,
}: {
  line: IssueLine;
  index: number;
  catalogue: Product[];
  onChange: (next: (line: IssueLine) => IssueLine) => void;
  onRemove?: () => void;
}) {
  const { t } = useTranslation();
  const product = catalogue.find((p) => p.code === line.productCode);
  return (
    <fieldset className="issue-line" data-line={index + 1}>
      <legend>
        {t('producer.product')} {index + 1}
      </legend>
      <label className="wide">
        {t('producer.product')}
        <select
          required
          value={line.productCode ?? ''}
          onChange={(e) => {
            const chosen = catalogue.find((p) => p.code === Number(e.currentTarget.value));
            if (chosen) onChange((l) => withProduct(l, chosen));
          }}
        >
          <option value="" disabled>
            {t('producer.chooseProduct')}
          </option>
          {catalogue.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}（{t(`category.${p.category}`)}）
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('producer.quantity')}
        <input
          required
          type="number"
          inputMode="decimal"
          min="0.001"
          step="any"
          value={line.quantity}
          onChange={(e) => {
            const quantity = e.currentTarget.value;
            onChange((l) => ({ ...l, quantity }));
          }}
        />
      </label>
      <label>
        {t('producer.unit')}
        <select
          value={line.unit}
          onChange={(e) => {
            const unit = units.find((u) => u === e.currentTarget.value) ?? line.unit;
            onChange((l) => ({ ...l, unit }));
          }}
        >
          {units.map((unit) => (
            <option key={unit} value={unit}>
              {t(`unit.${unit}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('producer.count')}
        <input
          required
          type="number"
          inputMode="numeric"
          min={1}
          max={maxPerLine}
          step={1}
          value={line.count}
          onChange={(e) => {
            const count = e.currentTarget.value;
            onChange((l) => ({ ...l, count }));
          }}
        />
      </label>
      {product && product.requiredDocuments.length > 0 && (
        <p className="hint">
          {t('producer.needs', {
            documents: product.requiredDocuments
              .map((d) => t(`secondDocument.${d}`, { defaultValue: d }))
              .join('、'),
          })}
        </p>
      )}
      {onRemove && (
        <button type="button" onClick={onRemove}>
          {t('producer.removeLine')}
        </button>
      )}
    </fieldset>
  );
}
