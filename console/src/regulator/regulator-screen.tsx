import { useQuery } from '@tanstack/react-query';
import { type FormEvent, lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router';
import { traceXlsxUrl } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { parentIdOf } from '../stall/parent-code.ts';
import { chartDays, rangeTotals } from './figures.ts';
import { type TraceNode, type TraceView as TraceTree, traceView } from './trace.ts';
import type { ViolationFeed } from './violation-feed.ts';
import { ViolationsQueue } from './violations.tsx';

const Charts = lazy(() => import('./charts.tsx'));

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
      </nav>
      <Routes>
        <Route index element={<ViolationsQueue feed={feed} />} />
        <Route path="dashboard" element={<Dashboard />} />
        <Route path="trace" element={<TraceView />} />
      </Routes>
    </div>
  );
}

function Dashboard() {
  const { t } = useTranslation();
  const api = useApi();
  // The server counts per China day over the last 30 days of the regulator's own region.
  const figures = useQuery({ queryKey: ['figures'], queryFn: () => api.figures() });
  if (figures.data && !figures.data.ok)
    return (
      <p className="problem" role="alert">
        {t('error.generic', { code: figures.data.error.code })}
      </p>
    );
  const value = figures.data?.ok ? figures.data.value : undefined;
  const totals = value ? rangeTotals(value) : undefined;
  return (
    <>
      {value && totals && (
        <p className="hint">
          {t('regulator.period', { from: value.from, to: value.to })} · {t('regulator.lots')} {totals.lots} ·{' '}
          {t('regulator.inspectionRate')} {Math.round(totals.inspectionRate * 100)}%
        </p>
      )}
      <Suspense fallback={<p>…</p>}>
        <Charts days={value ? chartDays(value) : []} reasons={value?.violationsByReason ?? []} />
      </Suspense>
    </>
  );
}

function TraceView() {
  const { t } = useTranslation();
  const api = useApi();
  const [trace, setTrace] = useState<{ id: string; view: TraceTree; prefix: string | null } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('code'));
    const id = await parentIdOf(api, text);
    const found = id.ok ? await api.trace(id.value) : id;
    const view = found.ok ? traceView(found.value) : undefined;
    if (!found.ok || !view) {
      setTrace(null);
      return setProblem(t('error.generic', { code: found.ok ? 'NOT_FOUND' : found.error.code }));
    }
    setProblem(null);
    setTrace({ id: found.value.certificateId, view, prefix: found.value.regionPrefix });
  }

  return (
    <div className="trace">
      <form className="code-entry" onSubmit={submit}>
        <label className="wide">
          {t('regulator.traceInput')}
          <input name="code" required autoComplete="off" />
        </label>
        <button type="submit" className="big">
          {t('regulator.traceGo')}
        </button>
      </form>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {trace && (
        <>
          <p>
            <a href={traceXlsxUrl(trace.id)} download>
              {t('regulator.traceExport')}
            </a>
          </p>
          <section className="card">
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
          <section className="card">
            <h2>{t('regulator.down')}</h2>
            {trace.prefix && <p className="hint">{t('regulator.traceScope', { prefix: trace.prefix })}</p>}
            <Downstream node={trace.view.down} />
          </section>
        </>
      )}
    </div>
  );
}

function Downstream({ node }: { node: TraceNode }) {
  const { t } = useTranslation();
  const c = node.certificate;
  return (
    <ul className="tree">
      <li>
        {c.issuerName} · {c.productName} · {c.quantity} {t(`unit.${c.unit}`)} · {c.id}
        {node.lots.length > 0 && (
          <ul>
            {node.lots.map((lot) => (
              <li key={`${lot.lotId}-${lot.certificateId}`}>
                {t('regulator.lots')}: {lot.marketName}
                {lot.stallNumber && ` · ${lot.stallNumber}`} · {new Date(lot.openedAt).toLocaleString()} ·{' '}
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
