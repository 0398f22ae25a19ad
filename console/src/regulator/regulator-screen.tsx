import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes, useSearchParams } from 'react-router';
import { traceXlsxUrl } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { problemText } from '../api/api-problem.ts';
import { parentIdOf } from '../stall/parent-code.ts';
import { marketTime } from '../time/market-time.ts';
import { Dashboard } from './dashboard.tsx';
import { InspectionsView } from './inspections.tsx';
import { type TraceNode, type TraceView as TraceTree, traceView } from './trace.ts';
import type { ViolationFeed } from './violation-feed.ts';
import { ViolationsQueue } from './violations.tsx';

export function RegulatorScreen({ feed }: { feed: ViolationFeed }) {
  const { t } = useTranslation();
  return (
    <div className="regulator">
      <nav className="tabs">
        <NavLink to="/regulator" end>
          {t('regulator.queue')}
        </NavLink>
        <NavLink to="/regulator/dashboard">{t('regulator.dashboard')}</NavLink>
        <NavLink to="/regulator/trace">{t('regulator.trace')}</NavLink>
        <NavLink to="/regulator/inspections">{t('regulator.inspections')}</NavLink>
      </nav>
      <Routes>
        <Route index element={<ViolationsQueue feed={feed} />} />
        <Route path="dashboard" element={<Dashboard />} />
        <Route path="trace" element={<TraceView />} />
        <Route path="inspections" element={<InspectionsView />} />
      </Routes>
    </div>
  );
}

/** A trace is asked for by code or id; `?code=` (from a violation) starts one at once. */
function TraceView() {
  const { t } = useTranslation();
  const api = useApi();
  const [search, setSearch] = useSearchParams();
  const asked = search.get('code') ?? '';
  const [trace, setTrace] = useState<{ id: string; view: TraceTree; prefix: string | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [tracing, setTracing] = useState(false);

  const run = useCallback(
    async (text: string) => {
      setTracing(true);
      setTrace(null);
      setProblem(null);
      const id = await parentIdOf(api, text);
      const found = id.ok ? await api.trace(id.value) : id;
      const view = found.ok ? traceView(found.value) : undefined;
      setTracing(false);
      if (!found.ok) {
        const reason = t(`reason.${found.error.code}`, { defaultValue: '' });
        return setProblem(reason || problemText(t, found.error));
      }
      if (!view) return setProblem(problemText(t, { code: 'NOT_FOUND' }));
      setTrace({ id: found.value.certificateId, view, prefix: found.value.regionPrefix });
    },
    [api, t],
  );

  useEffect(() => {
    if (asked) void run(asked);
  }, [asked, run]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('code')).trim();
    // The same code twice re-runs the trace; a new one is kept in the address, to share or come back to.
    if (text === asked) void run(text);
    else setSearch({ code: text });
  }

  return (
    <div className="trace">
      <form className="code-entry" onSubmit={submit}>
        <label className="wide">
          {t('regulator.traceInput')}
          <input name="code" required autoComplete="off" defaultValue={asked} key={asked} />
        </label>
        <button type="submit" className="big" disabled={tracing}>
          {t('regulator.traceGo')}
        </button>
      </form>
      {tracing && (
        <p className="busy" role="status" aria-busy="true">
          {t('regulator.tracing')}
        </p>
      )}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {!trace && !tracing && !problem && <p className="hint">{t('regulator.traceHint')}</p>}
      {trace && (
        <>
          <p>
            <a href={traceXlsxUrl(trace.id)} download className="button">
              {t('regulator.traceExport')}
            </a>
          </p>
          <section className="card trace-up">
            <h2>{t('regulator.up')}</h2>
            <ol>
              {trace.view.up.map((c) => (
                <li key={c.id}>
                  {c.issuerName} · {c.productName} · {c.quantity} {t(`unit.${c.unit}`)} · {c.id} ·{' '}
                  {c.status === 'valid' ? t('verify.valid') : t('verify.invalid')}
                  {c.parents.length > 0 &&
                    ` · ${t('regulator.takenFrom')} ${c.parents.map((p) => `${p.certificateId} × ${p.quantity}`).join(', ')}`}
                </li>
              ))}
            </ol>
          </section>
          <section className="card trace-down">
            <h2>{t('regulator.down')}</h2>
            {trace.prefix && <p className="hint">{t('regulator.traceScope', { prefix: trace.prefix })}</p>}
            <Downstream node={trace.view.down} />
            {isBare(trace.view.down) && <p className="hint">{t('regulator.downEmpty')}</p>}
          </section>
        </>
      )}
    </div>
  );
}

const isBare = (node: TraceNode) => !node.children.length && !node.lots.length && !node.scans.length;

function Downstream({ node }: { node: TraceNode }) {
  const { t, i18n } = useTranslation();
  const c = node.certificate;
  return (
    <ul className="tree">
      <li>
        {c.issuerName} · {c.productName} · {c.quantity} {t(`unit.${c.unit}`)} · {c.id}
        {node.lots.length > 0 && (
          <ul>
            {node.lots.map((lot) => (
              <li key={`${lot.lotId}-${lot.certificateId}`} className={`outcome-${lot.outcome ?? 'open'}`}>
                {t('regulator.lots')}: {lot.marketName}
                {lot.stallNumber && ` · ${lot.stallNumber}`} · {marketTime(lot.openedAt, i18n.language)} ·{' '}
                {lot.productName} {lot.quantityClaim ?? lot.quantity} {t(`unit.${lot.unit}`, lot.unit)} ·{' '}
                {lot.outcome ? t(`outcome.${lot.outcome}`, lot.outcome) : lot.status}
              </li>
            ))}
          </ul>
        )}
        {node.scans.length > 0 && (
          <p className="hint">
            {t('regulator.scans')}: {node.scans.length}
          </p>
        )}
        {node.children.map((child) => (
          <Downstream key={child.certificate.id} node={child} />
        ))}
      </li>
    </ul>
  );
}
