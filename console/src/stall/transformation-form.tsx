import { type Unit, units } from '@liangzheng/domain/unit/unit';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InventoryItem } from '../api/api.ts';
import { conservation } from './conservation.ts';
import { blankSource, type DraftSource, sourceInput, UnverifiedSourceRows } from './unverified-sources.tsx';
import type { Stall } from './use-stall.ts';

interface DraftOutput {
  quantity: string;
  unit: Unit;
  productName: string;
  keep: boolean;
}

const blankOutput = (unit: Unit): DraftOutput => ({ quantity: '', unit, productName: '', keep: false });

/**
 * One form for a repack (分装/混装) or a resale: the chosen inventory items with what is taken of each, one or
 * more outputs, and the sum kept in view as the vendor types (taken / made / loss).
 */
export function TransformationForm({ stall }: { stall: Stall }) {
  const { t } = useTranslation();
  const items = new Map<string, InventoryItem>(
    (stall.inventory.data?.ok ? stall.inventory.data.value : []).map((item) => [item.id, item]),
  );
  const firstUnit = items.get(stall.inputs[0]?.itemId ?? '')?.unit ?? 'kg';
  const [kind, setKind] = useState<'repack' | 'resale'>('repack');
  const [outputs, setOutputs] = useState<DraftOutput[]>([blankOutput('kg')]);
  const change = (index: number, patch: Partial<DraftOutput>) =>
    setOutputs((now) => now.map((o, i) => (i === index ? { ...o, ...patch } : o)));
  // Paper or other-platform sources join a repack only; a resale passes on received goods unchanged.
  const [drafts, setSources] = useState<DraftSource[]>([]);
  const sources = kind === 'repack' ? drafts : [];
  const changeSource = (index: number, patch: Partial<DraftSource>) =>
    setSources((now) => now.map((s, i) => (i === index ? { ...s, ...patch } : s)));

  const sum = conservation(
    [
      ...stall.inputs.map((input) => ({
        quantity: Number(input.quantity),
        unit: items.get(input.itemId)?.unit ?? 'kg',
      })),
      ...sources.map((source) => ({ quantity: Number(source.quantity), unit: source.unit })),
    ],
    outputs.map((output) => ({ quantity: Number(output.quantity), unit: output.unit })),
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    await stall.transform({
      kind,
      inputs: stall.inputs.map((input) => ({ itemId: input.itemId, quantity: Number(input.quantity) })),
      ...(sources.length > 0 ? { unverifiedSources: sources.map(sourceInput) } : {}),
      outputs: outputs.map((output) => ({
        quantity: Number(output.quantity),
        unit: output.unit,
        keep: output.keep,
        ...(output.productName.trim() ? { productName: output.productName.trim() } : {}),
      })),
    });
    setOutputs([blankOutput(firstUnit)]);
    setSources([]);
  }

  return (
    <form className="card transformation" onSubmit={submit}>
      <h2>{t('custody.form')}</h2>
      <fieldset>
        <legend>{t('custody.kind')}</legend>
        {(['repack', 'resale'] as const).map((k) => (
          <label key={k} className="choice">
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            {t(`custody.${k}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('custody.inputs')}</legend>
        {stall.inputs.length === 0 && <p className="hint">{t('custody.inputsEmpty')}</p>}
        {stall.inputs.map((input) => {
          const item = items.get(input.itemId);
          return (
            <div key={input.itemId} className="draft-row">
              <span className="draft-name">
                {item?.productName} <code>{item?.certificateId}</code>
                <small>
                  {' '}
                  {t('custody.left')} {item?.left} {item && t(`unit.${item.unit}`)}
                </small>
              </span>
              <label>
                {t('custody.take')}
                <input
                  type="number"
                  min="0.001"
                  step="any"
                  required
                  value={input.quantity}
                  onChange={(event) => stall.setQuantity(input.itemId, event.currentTarget.value)}
                />
              </label>
              <button type="button" onClick={() => stall.drop(input.itemId)}>
                {t('custody.remove')}
              </button>
            </div>
          );
        })}
        <UnverifiedSourceRows
          sources={sources}
          onChange={changeSource}
          onRemove={(index) => setSources((now) => now.filter((_, i) => i !== index))}
        />
        {kind === 'repack' && (
          <button type="button" onClick={() => setSources((now) => [...now, blankSource(firstUnit)])}>
            {t('custody.unverified.add')}
          </button>
        )}
      </fieldset>
      <fieldset>
        <legend>{t('custody.outputs')}</legend>
        {outputs.map((output, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: outputs are rows the vendor adds and removes in place
          <div key={index} className="draft-row">
            <span className="draft-name">{t('custody.output', { n: index + 1 })}</span>
            <label>
              {t('stall.quantity')}
              <input
                type="number"
                min="0.001"
                step="any"
                required
                value={output.quantity}
                onChange={(event) => change(index, { quantity: event.currentTarget.value })}
              />
            </label>
            <label>
              {t('stall.unit')}
              <select
                value={output.unit}
                onChange={(event) => change(index, { unit: event.currentTarget.value as Unit })}
              >
                {units.map((u) => (
                  <option key={u} value={u}>
                    {t(`unit.${u}`)}
                  </option>
                ))}
              </select>
            </label>
            {kind === 'repack' && (
              <label>
                {t('custody.productName')}
                <input
                  maxLength={40}
                  value={output.productName}
                  onChange={(event) => change(index, { productName: event.currentTarget.value })}
                />
              </label>
            )}
            <label className="choice">
              <input
                type="checkbox"
                checked={output.keep}
                onChange={(event) => change(index, { keep: event.currentTarget.checked })}
              />
              {t('custody.keep')}
            </label>
            {outputs.length > 1 && (
              <button type="button" onClick={() => setOutputs((now) => now.filter((_, i) => i !== index))}>
                {t('custody.remove')}
              </button>
            )}
          </div>
        ))}
        <button
          type="button"
          onClick={() => setOutputs((now) => [...now, blankOutput(now[0]?.unit ?? firstUnit)])}
        >
          {t('custody.addOutput')}
        </button>
      </fieldset>
      <p className="conservation" aria-live="polite">
        {sum.ok ? (
          <>
            {t('custody.taken')} <strong>{sum.taken}</strong> · {t('custody.made')}{' '}
            <strong>{sum.made}</strong> · {t('custody.loss')} <strong>{sum.loss}</strong>{' '}
            {t(`unit.${sum.unit}`)} ({(sum.lossShare * 100).toFixed(1)}
            %)
          </>
        ) : sum.problem === 'made_exceeds_taken' ? (
          <span className="problem">{t('custody.madeExceedsTaken')}</span>
        ) : sum.problem === 'units' ? (
          <span className="problem">{t('custody.units')}</span>
        ) : null}
      </p>
      {stall.problem && (
        <p className="problem" role="alert">
          {stall.problem}
        </p>
      )}
      <button
        type="submit"
        className="big"
        disabled={stall.sending || stall.inputs.length === 0}
        aria-busy={stall.sending}
      >
        {stall.sending ? t('custody.issuing') : t('custody.issue')}
      </button>
    </form>
  );
}
