import { violationStatuses } from '@liangzheng/domain/violation/violation-status';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ViolationStatus } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { problemText } from '../api/api-problem.ts';
import type { ViolationFeed } from './violation-feed.ts';
import { movesFrom } from './violation-moves.ts';

/** The regulator's queue: the server scopes it to their region; a status filter narrows it. */
export function ViolationsQueue({ feed }: { feed: ViolationFeed }) {
  const { t } = useTranslation();
  const api = useApi();
  const [status, setStatus] = useState<ViolationStatus | undefined>('open');
  const [selected, setSelected] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['violations', status],
    queryFn: () => api.violations({ status, limit: 200 }),
  });
  const violations = list.data?.ok ? list.data.value : [];
  const queries = useQueryClient();

  useEffect(
    () =>
      feed.follow((violationId) => {
        void queries.invalidateQueries({ queryKey: ['violations'] });
        void queries.invalidateQueries({ queryKey: ['violation', violationId] });
      }),
    [feed, queries],
  );

  return (
    <div className="queue">
      <fieldset className="filters" aria-label={t('regulator.status')}>
        {[undefined, ...violationStatuses].map((s) => (
          <button
            type="button"
            aria-pressed={s === status}
            key={s ?? 'all'}
            className={s === status ? 'chosen' : ''}
            onClick={() => setStatus(s)}
          >
            {s ? t(`violationStatus.${s}`) : t('regulator.all')}
          </button>
        ))}
      </fieldset>
      <div className="split">
        <table className="violations">
          <thead>
            <tr>
              <th>{t('regulator.created')}</th>
              <th>{t('regulator.market')}</th>
              <th>{t('regulator.goods')}</th>
              <th>{t('regulator.reason')}</th>
              <th>{t('regulator.status')}</th>
            </tr>
          </thead>
          <tbody>
            {violations.map((v) => (
              <tr
                key={v.id}
                className={v.id === selected ? 'chosen' : ''}
                onClick={() => setSelected(v.id)}
                onKeyDown={(e) => e.key === 'Enter' && setSelected(v.id)}
                tabIndex={0}
              >
                <td>{new Date(v.createdAt).toLocaleString()}</td>
                <td>{v.marketName}</td>
                <td>{[v.plate, v.productName].filter(Boolean).join(' · ')}</td>
                <td>{t(`reason.${v.reason}`, v.reason)}</td>
                <td>{t(`violationStatus.${v.status}`, v.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {violations.length === 0 && <p>{t('regulator.empty')}</p>}
        {selected ? <ViolationCard id={selected} /> : <p>{t('regulator.noneSelected')}</p>}
      </div>
    </div>
  );
}

export function ViolationCard({ id }: { id: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const detail = useQuery({ queryKey: ['violation', id], queryFn: () => api.violation(id) });

  if (!detail.data)
    return (
      <p role="status" aria-busy="true">
        {t('regulator.loading')}
      </p>
    );
  if (!detail.data.ok) return <p className="problem">{problemText(t, detail.data.error)}</p>;
  const violation = detail.data.value;

  async function settle(result: Awaited<ReturnType<typeof api.addNote>>) {
    if (!result.ok) return setProblem(problemText(t, result.error));
    setProblem(null);
    setNote('');
    await queries.invalidateQueries({ queryKey: ['violation', id] });
    await queries.invalidateQueries({ queryKey: ['violations'] });
  }

  return (
    <article className="card violation" data-status={violation.status}>
      <h2>
        {t(`reason.${violation.reason}`, violation.reason)} ·{' '}
        <span className="status">{t(`violationStatus.${violation.status}`, violation.status)}</span>
      </h2>
      <p className="where">
        {[violation.marketName, violation.plate, violation.productName].filter(Boolean).join(' · ')}
      </p>
      {violation.scan && (
        <>
          <p className="hint">
            {new Date(violation.scan.receivedAt).toLocaleString()} ·{' '}
            {t(`scanSource.${violation.scan.source}`, violation.scan.source)}
          </p>
          <pre className="raw">{violation.scan.rawText}</pre>
          {violation.scan.certificateId && (
            <Link
              className="button"
              to={`/regulator/trace?${new URLSearchParams({ code: violation.scan.certificateId })}`}
            >
              {t('regulator.traceThis')}
            </Link>
          )}
        </>
      )}
      <label>
        {t('regulator.note')}
        <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
      </label>
      <div className="actions">
        {movesFrom(violation.status).map((to) => (
          <button
            type="button"
            key={to}
            className="big"
            onClick={async () => settle(await api.transition(id, to, note))}
          >
            {t('regulator.moveTo')} {t(`violationStatus.${to}`)}
          </button>
        ))}
        <button
          type="button"
          disabled={!note.trim()}
          onClick={async () => settle(await api.addNote(id, note))}
        >
          {t('regulator.addNote')}
        </button>
      </div>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <h3>{t('regulator.trail')}</h3>
      <ol className="trail">
        {violation.events.map((e) => (
          <li key={e.id}>
            {new Date(e.at).toLocaleString()} · {t(`violationEvent.${e.type}`, e.type)}
            {e.fromStatus &&
              e.toStatus &&
              ` · ${t(`violationStatus.${e.fromStatus}`)} → ${t(`violationStatus.${e.toStatus}`)}`}
            {e.note && ` · ${e.note}`}
          </li>
        ))}
      </ol>
    </article>
  );
}
