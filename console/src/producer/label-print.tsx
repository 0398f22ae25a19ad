import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { printLabel } from '../stall/print-label.ts';
import { type LabelSize, labelPrintUrl } from './producer-api.ts';

const sizes: LabelSize[] = ['60x40', '60x80'];
const maxCopies = 50;

/**
 * A certificate's labels: the size and how many, then the browser's print dialog on the HTML label (one page a
 * copy, at the label's own page size), or the PDF of one label to keep or send.
 */
export function LabelPrint({ id }: { id: string }) {
  const { t } = useTranslation();
  const [size, setSize] = useState<LabelSize>('60x40');
  const [copies, setCopies] = useState('1');
  const count = Math.min(maxCopies, Math.max(1, Math.trunc(Number(copies)) || 1));
  return (
    <fieldset className="label-print">
      <legend>{t('producer.printTitle')}</legend>
      <label>
        {t('producer.size')}
        <select value={size} onChange={(e) => setSize(e.currentTarget.value as LabelSize)}>
          {sizes.map((s) => (
            <option key={s} value={s}>
              {s.replace('x', '×')} mm
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('producer.copies')}
        <input
          type="number"
          inputMode="numeric"
          min={1}
          max={maxCopies}
          value={copies}
          onChange={(e) => setCopies(e.currentTarget.value)}
        />
      </label>
      <button type="button" onClick={() => printLabel(labelPrintUrl(id, 'html', size, count))}>
        {t('producer.print')}
      </button>
      <a className="button" href={labelPrintUrl(id, 'pdf', size, 1)} target="_blank" rel="noreferrer">
        {t('producer.pdf')}
      </a>
    </fieldset>
  );
}
