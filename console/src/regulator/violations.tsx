import { violationStatuses } from '@liangzheng/domain/violation/violation-status';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ViolationFilters, ViolationStatus } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { problemText } from '../api/api-problem.ts';
import { PhotoInput } from '../scan/photo-input.tsx';
import { useUser } from '../session/session.tsx';
import { marketDate, marketTime } from '../time/market-time.ts';
import type { ViolationFeed } from './violation-feed.ts';
import { movesFrom } from './violation-moves.ts';

/** The regulator's queue: the server scopes it to their region; a status filter narrows it. */
export function ViolationsQueue({ feed }: { feed: ViolationFeed }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const [status, setStatus] = useState<ViolationStatus | undefined>('open');
  const [selected, setSelected] = useState<string | null>(null);
  const [filters, setFilters] = useState<ViolationFilters>({});
  const [ticked, setTicked] = useState<Set<string>>(new Set());
  const [bulkNote, setBulkNote] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['violations', status, filters],
    queryFn: () => api.violations({ ...filters, status, limit: 200 }),
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
      <ViolationFilterBar filters={filters} onChange={setFilters} />
      {ticked.size > 0 && (
        <BulkBar
          ids={[...ticked]}
          onDone={async (note) => {
            setBulkNote(note);
            setTicked(new Set());
            await queries.invalidateQueries({ queryKey: ['violations'] });
          }}
        />
      )}
      {bulkNote && <p role="status">{bulkNote}</p>}
      <div className="split">
        {/* on a phone the queue scrolls sideways inside its own box, not the page */}
        <div className="table-scroll">
          <table className="violations">
            <thead>
              <tr>
                <th>
                  <span className="visually-hidden">{t('violations.pick')}</span>
                </th>
                <th>{t('regulator.created')}</th>
                <th>{t('regulator.market')}</th>
                <th>{t('regulator.goods')}</th>
                <th>{t('regulator.reason')}</th>
                <th>{t('regulator.status')}</th>
                <th>{t('violations.age')}</th>
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
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('violations.pick')}
                      checked={ticked.has(v.id)}
                      onClick={(e) => e.stopPropagation()}
                      onChange={(e) => {
                        const next = new Set(ticked);
                        if (e.target.checked) next.add(v.id);
                        else next.delete(v.id);
                        setTicked(next);
                      }}
                    />
                  </td>
                  <td>{marketTime(v.createdAt, i18n.language)}</td>
                  <td>{v.marketName}</td>
                  <td>{[v.plate, v.productName].filter(Boolean).join(' · ')}</td>
                  <td>{t(`reason.${v.reason}`, v.reason)}</td>
                  <td>{t(`violationStatus.${v.status}`, v.status)}</td>
                  <td className={v.overdue ? 'overdue' : ''}>
                    {t('violations.ageDays', { days: v.ageDays })}
                    {v.overdue && ` · ${t('violations.overdue')}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {violations.length === 0 && <p>{t('regulator.empty')}</p>}
        {selected ? <ViolationCard id={selected} /> : <p>{t('regulator.noneSelected')}</p>}
      </div>
    </div>
  );
}

export function ViolationCard({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const detail = useQuery({ queryKey: ['violation', id], queryFn: () => api.violation(id) });
  const user = useUser().data ?? null;

  if (!detail.data)
    return (
      <p role="status" aria-busy="true">
        {t('regulator.loading')}
      </p>
    );
  if (!detail.data.ok) return <p className="problem">{problemText(t, detail.data.error)}</p>;
  const violation = detail.data.value;

  async function settle(result: { ok: true } | { ok: false; error: Parameters<typeof problemText>[1] }) {
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
            {marketTime(violation.scan.receivedAt, i18n.language)} ·{' '}
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
      <p className="hint">
        {violation.assigneeId
          ? t('violations.assignedTo', { id: violation.assigneeId })
          : t('violations.unassigned')}
        {violation.dueAt &&
          ` · ${t('violations.due')} ${marketDate(violation.dueAt, i18n.language)}${
            violation.overdue ? ` · ${t('violations.overdue')}` : ''
          }`}
      </p>
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
        {user && violation.assigneeId !== user.userId && (
          <button type="button" onClick={async () => settle(await api.assignViolation(id, user.userId))}>
            {t('violations.assignToMe')}
          </button>
        )}
      </div>
      <EvidenceForm id={id} onSaved={settle} />
      <DispositionForm id={id} onSaved={settle} />
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <h3>{t('regulator.trail')}</h3>
      <ol className="trail">
        {violation.events.map((e) => (
          <li key={e.id}>
            {marketTime(e.at, i18n.language)} · {t(`violationEvent.${e.type}`, e.type)}
            {e.fromStatus &&
              e.toStatus &&
              ` · ${t(`violationStatus.${e.fromStatus}`)} → ${t(`violationStatus.${e.toStatus}`)}`}
            {e.note && ` · ${e.note}`}
            {e.actorId && ` · ${e.actorName ?? `#${e.actorId}`}`}
          </li>
        ))}
      </ol>
      {violation.dispositions.length > 0 && (
        <>
          <h3>{t('violations.dispositions')}</h3>
          <ul className="dispositions">
            {violation.dispositions.map((d) => (
              <li key={d.id}>
                {marketTime(d.at, i18n.language)} · {t(`disposition.${d.kind}`, dispositionNames[d.kind])} ·{' '}
                {d.note}
                {d.amountYuan !== null && ` · ¥${d.amountYuan}`}
                {d.supervisor && ` · ${t('violations.supervisor')} ${d.supervisor}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </article>
  );
}

const dispositionNames = { held: '封存', returned: '退回', destroyed: '监督销毁', penalty: '处罚' } as const;

type Settle = (
  result: { ok: true } | { ok: false; error: Parameters<typeof problemText>[1] },
) => Promise<void>;

/** A photo (checked by the server from its own header bytes) and what it shows. */
function EvidenceForm({ id, onSaved }: { id: string; onSaved: Settle }) {
  const { t } = useTranslation();
  const api = useApi();
  const [description, setDescription] = useState('');
  const [photo, setPhoto] = useState<string | undefined>();
  return (
    <fieldset className="evidence">
      <legend>{t('violations.evidence')}</legend>
      <PhotoInput onPhoto={setPhoto} />
      <label>
        {t('violations.evidenceText')}
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={1000} />
      </label>
      <button
        type="button"
        disabled={!photo && !description.trim()}
        onClick={async () => {
          await onSaved(await api.addEvidence(id, { description, ...(photo ? { photo } : {}) }));
          setDescription('');
        }}
      >
        {t('violations.addEvidence')}
      </button>
    </fieldset>
  );
}

/** 不合格处置 and penalties decided. */
function DispositionForm({ id, onSaved }: { id: string; onSaved: Settle }) {
  const { t } = useTranslation();
  const api = useApi();
  const [kind, setKind] = useState<keyof typeof dispositionNames>('held');
  const [note, setNote] = useState('');
  const [supervisor, setSupervisor] = useState('');
  const [amount, setAmount] = useState('');
  return (
    <fieldset className="disposition">
      <legend>{t('violations.dispose')}</legend>
      <select value={kind} onChange={(e) => setKind(e.target.value as keyof typeof dispositionNames)}>
        {Object.entries(dispositionNames).map(([value, name]) => (
          <option key={value} value={value}>
            {t(`disposition.${value}`, name)}
          </option>
        ))}
      </select>
      <label>
        {t('violations.dispositionNote')}
        <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
      </label>
      {kind === 'destroyed' && (
        <label>
          {t('violations.supervisor')}
          <input value={supervisor} onChange={(e) => setSupervisor(e.target.value)} maxLength={100} />
        </label>
      )}
      {kind === 'penalty' && (
        <label>
          {t('violations.amount')}
          <input type="number" min={1} value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
      )}
      <button
        type="button"
        disabled={!note.trim()}
        onClick={async () => {
          await onSaved(
            await api.addDisposition(id, {
              kind,
              note,
              supervisor,
              ...(kind === 'penalty' && amount ? { amountYuan: Number(amount) } : {}),
            }),
          );
          setNote('');
        }}
      >
        {t('violations.recordDisposition')}
      </button>
    </fieldset>
  );
}

/** Narrows the queue by what the server filters on; empty fields are left out. */
function ViolationFilterBar({
  filters,
  onChange,
}: {
  filters: ViolationFilters;
  onChange: (filters: ViolationFilters) => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Record<string, string>>({});
  const field = (name: string, label: string, type = 'text') => (
    <label key={name}>
      {label}
      <input
        name={name}
        type={type}
        value={draft[name] ?? ''}
        onChange={(e) => setDraft({ ...draft, [name]: e.target.value })}
      />
    </label>
  );
  const number = (value: string | undefined) => (value ? Number(value) : undefined);
  const instant = (value: string | undefined) =>
    value ? new Date(`${value}T00:00:00+08:00`).toISOString() : undefined;
  return (
    <form
      className="filters more"
      onSubmit={(e) => {
        e.preventDefault();
        const next: ViolationFilters = {
          regionPrefix: draft.regionPrefix || undefined,
          marketId: number(draft.marketId),
          stallId: number(draft.stallId),
          issuerId: number(draft.issuerId),
          reason: draft.reason?.trim().toUpperCase() || undefined,
          from: instant(draft.from),
          to: instant(draft.to),
          overdue: filters.overdue,
        };
        onChange(Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined)));
      }}
    >
      {field('regionPrefix', t('violations.region'))}
      {field('marketId', t('violations.marketId'), 'number')}
      {field('stallId', t('violations.stallId'), 'number')}
      {field('issuerId', t('violations.issuerId'), 'number')}
      {field('reason', t('violations.reasonCode'))}
      {field('from', t('violations.from'), 'date')}
      {field('to', t('violations.to'), 'date')}
      <label className="check">
        <input
          type="checkbox"
          checked={filters.overdue === 'true'}
          onChange={(e) => {
            const { overdue: _overdue, ...rest } = filters;
            onChange(e.target.checked ? { ...rest, overdue: 'true' } : rest);
          }}
        />
        {t('violations.overdueOnly')}
      </label>
      <button type="submit">{t('violations.filter')}</button>
    </form>
  );
}

/** Moves every ticked violation at once; the server answers which it moved and which it refused, and why. */
function BulkBar({ ids, onDone }: { ids: string[]; onDone: (note: string) => Promise<void> }) {
  const { t } = useTranslation();
  const api = useApi();
  const user = useUser().data ?? null;
  const report = async (result: Awaited<ReturnType<typeof api.bulkViolations>>) => {
    if (!result.ok) return onDone(problemText(t, result.error));
    const { moved, refused } = result.value;
    return onDone(
      t('violations.bulkDone', {
        moved: moved.length,
        refused: refused.length,
      }),
    );
  };
  return (
    <div className="bulk actions">
      <span>{t('violations.ticked', { count: ids.length })}</span>
      {(['reviewing', 'confirmed', 'dismissed', 'rectified'] as const).map((to) => (
        <button type="button" key={to} onClick={async () => report(await api.bulkViolations({ ids, to }))}>
          {t('violations.bulkTo')} {t(`violationStatus.${to}`)}
        </button>
      ))}
      {user && (
        <button
          type="button"
          onClick={async () => report(await api.bulkViolations({ ids, assigneeId: user.userId }))}
        >
          {t('violations.bulkAssignToMe')}
        </button>
      )}
    </div>
  );
}
