import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lot, LotDocumentsInput } from '../api/api.ts';
import { marketClock } from '../time/market-time.ts';
import { type SecondDocument, SecondDocuments } from './lot-registration.tsx';
import { lotName } from './use-gate.ts';

const matches = (lot: Lot, words: string) =>
  words === '' || [lot.plate, lot.productName, lot.supplier].some((field) => field.includes(words));

/**
 * Today's trucks at this gate, newest first, searchable by plate, product or supplier: an open one can be scanned
 * again or given its second documents, one in review decided.
 */
export function TodayLots(props: {
  lots: Lot[];
  currentId: string | null;
  onResume: (lot: Lot) => void;
  onReview: (lotId: string) => void;
  onAddDocuments: (lotId: string, body: LotDocumentsInput) => Promise<boolean>;
}) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [adding, setAdding] = useState<string | null>(null);
  const shown = props.lots.filter((lot) => matches(lot, search.trim()));
  return (
    <section className="today card">
      <h2>{t('gate.today')}</h2>
      <label>
        {t('gate.search')}
        <input
          type="search"
          value={search}
          autoComplete="off"
          onChange={(event) => setSearch(event.target.value)}
        />
      </label>
      {shown.length === 0 && <p className="empty">{t('gate.todayEmpty')}</p>}
      <ul className="today-lots">
        {shown.map((lot) => (
          <li key={lot.id} className={lot.id === props.currentId ? 'chosen' : ''}>
            <span className="today-name">{lotName(lot) || t('gate.unnamed')}</span>
            {lot.rapidTestHold && <RapidTestHold />}
            <span>
              {marketClock(lot.openedAt, i18n.language)} · {lot.quantity} {t(`unit.${lot.unit}`)} ·{' '}
              {lot.status === 'open' ? t('gate.statusOpen') : t(`outcome.${lot.outcome ?? 'pending'}`)}
            </span>
            <span className="actions">
              {lot.status === 'open' && lot.id !== props.currentId && (
                <button type="button" onClick={() => props.onResume(lot)}>
                  {t('gate.resume')}
                </button>
              )}
              {lot.status === 'open' && (
                <button type="button" onClick={() => setAdding(adding === lot.id ? null : lot.id)}>
                  {t('gate.addDocuments')}
                </button>
              )}
              {lot.status === 'judged' && lot.outcome === 'review' && (
                <button type="button" onClick={() => props.onReview(lot.id)}>
                  {t('gate.review')}
                </button>
              )}
            </span>
            {adding === lot.id && (
              <LaterDocuments
                onAdd={async (documents) => {
                  if (await props.onAddDocuments(lot.id, { documents })) setAdding(null);
                }}
              />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Second documents for a lot already registered: collected, then sent together. */
function LaterDocuments({ onAdd }: { onAdd: (documents: SecondDocument[]) => Promise<void> }) {
  const { t } = useTranslation();
  const [documents, setDocuments] = useState<SecondDocument[]>([]);
  return (
    <div className="later-documents">
      <SecondDocuments documents={documents} onChange={setDocuments} />
      <button
        type="button"
        className="big"
        disabled={documents.length === 0}
        onClick={() => void onAdd(documents)}
      >
        {t('gate.saveDocuments')}
      </button>
    </div>
  );
}

/** A positive rapid test holds the lot's goods (docs/rapid-test.md): whoever looks at the truck must see it. */
export function RapidTestHold() {
  const { t } = useTranslation();
  return <strong className="hold-badge">{t('gateLot.rapidTestHold')}</strong>;
}
