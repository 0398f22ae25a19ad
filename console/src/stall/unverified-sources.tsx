import type {
  UnverifiedSourceInput,
  UnverifiedSourceKind,
  UnverifiedSourceView,
} from '@liangzheng/domain/custody/custody-schemas';
import { shownQuantity, type Unit, units } from '@liangzheng/domain/unit/unit';
import { useTranslation } from 'react-i18next';
import { PhotoInput } from '../scan/photo-input.tsx';

/** One paper or other-platform source as the vendor types it, before it is sent. */
export interface DraftSource {
  kind: UnverifiedSourceKind;
  description: string;
  quantity: string;
  unit: Unit;
  code: string;
  photo: string | undefined;
}

export const blankSource = (unit: Unit): DraftSource => ({
  kind: 'paper',
  description: '',
  quantity: '',
  unit,
  code: '',
  photo: undefined,
});

/** The request's form of a draft row: the foreign code only for a foreign-code source, the photo when taken. */
export function sourceInput(draft: DraftSource): UnverifiedSourceInput {
  const declared = {
    description: draft.description.trim(),
    quantity: Number(draft.quantity),
    unit: draft.unit,
    ...(draft.photo ? { photo: draft.photo } : {}),
  };
  return draft.kind === 'foreign_code'
    ? { kind: 'foreign_code', ...declared, code: draft.code.trim() }
    : { kind: 'paper', ...declared };
}

interface Props {
  sources: readonly DraftSource[];
  onChange: (index: number, patch: Partial<DraftSource>) => void;
  onRemove: (index: number) => void;
}

/**
 * Goods the vendor holds without a certificate anyone can verify (a paper certificate, another platform's code),
 * one row each: counted in what is taken, and every certificate made from them goes to review at the gate and
 * says so on its public page (docs/custody.md).
 */
export function UnverifiedSourceRows({ sources, onChange, onRemove }: Props) {
  const { t } = useTranslation();
  return sources.map((source, index) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: rows the vendor adds and removes in place
    <div key={index} className="draft-row unverified-source">
      <span className="draft-name">
        {t('custody.unverified.row', { n: index + 1 })}
        <small> {t('custody.unverified.flag')}</small>
      </span>
      <label>
        {t('custody.unverified.kind')}
        <select
          aria-label={t('custody.unverified.kind')}
          value={source.kind}
          onChange={(event) => onChange(index, { kind: event.currentTarget.value as UnverifiedSourceKind })}
        >
          <option value="paper">{t('custody.unverified.paper')}</option>
          <option value="foreign_code">{t('custody.unverified.foreign_code')}</option>
        </select>
      </label>
      <label>
        {t('custody.unverified.description')}
        <input
          required
          maxLength={60}
          value={source.description}
          placeholder={t('custody.unverified.descriptionHint')}
          onChange={(event) => onChange(index, { description: event.currentTarget.value })}
        />
      </label>
      <label>
        {t('stall.quantity')}
        <input
          type="number"
          min="0.001"
          step="any"
          required
          value={source.quantity}
          onChange={(event) => onChange(index, { quantity: event.currentTarget.value })}
        />
      </label>
      <label>
        {t('stall.unit')}
        <select
          aria-label={t('stall.unit')}
          value={source.unit}
          onChange={(event) => onChange(index, { unit: event.currentTarget.value as Unit })}
        >
          {units.map((u) => (
            <option key={u} value={u}>
              {t(`unit.${u}`)}
            </option>
          ))}
        </select>
      </label>
      {source.kind === 'foreign_code' && (
        <label>
          {t('custody.unverified.code')}
          <input
            required
            maxLength={500}
            value={source.code}
            onChange={(event) => onChange(index, { code: event.currentTarget.value })}
          />
        </label>
      )}
      <PhotoInput onPhoto={(photo) => onChange(index, { photo })} />
      <button type="button" onClick={() => onRemove(index)}>
        {t('custody.remove')}
      </button>
    </div>
  ));
}

/** Where those who may see the stall fetch a declared source's photo (index as in `unverifiedSources`). */
export const unverifiedPhotoUrl = (transformationId: string, index: number) =>
  `/api/v1/transformations/${transformationId}/unverified-sources/${index}/photo`;

/**
 * What a repack declared beyond its inventory, as recorded: kind, description, quantity, the foreign code, and the
 * photo as a thumbnail linking to the full image (opened with the session, never public).
 */
export function DeclaredSources({
  transformationId,
  sources,
}: {
  transformationId: string;
  sources: readonly UnverifiedSourceView[];
}) {
  const { t } = useTranslation();
  return (
    <ul className="declared-sources">
      {sources.map((source, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the declaration's order is its identity (the photo's index)
        <li key={index}>
          <span className="flag-unverified">{t(`custody.unverified.${source.kind}`)}</span>{' '}
          {source.description} · {shownQuantity(source.quantity)} {t(`unit.${source.unit}`)}
          {source.code && <code> {source.code}</code>}
          {source.hasPhoto && (
            <a
              className="photo-link"
              href={unverifiedPhotoUrl(transformationId, index)}
              target="_blank"
              rel="noreferrer"
            >
              <img
                src={unverifiedPhotoUrl(transformationId, index)}
                alt=""
                width={48}
                height={48}
                loading="lazy"
              />
              {t('custody.unverified.viewPhoto')}
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
