import { useQuery } from '@tanstack/react-query';
import { type FormEvent, lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router';
import { useApi } from '../api/api-context.tsx';
import { parentIdOf } from '../stall/parent-code.ts';
import { figuresPerDay, violationsByReason } from './figures.ts';
import { type Trace, type TraceNode, traceCertificate } from './trace.ts';
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
  const api = useApi();
  const lots = useQuery({ queryKey: ['lots', 'dashboard'], queryFn: () => api.lots({ limit: 500 }) });
  const violations = useQuery({
    queryKey: ['violations', 'dashboard'],
    queryFn: () => api.violations({ limit: 500 }),
  });
  const days = figuresPerDay(lots.data?.ok ? lots.data.value : []);
  const reasons = violationsByReason(violations.data?.ok ? violations.data.value : []);
  return (
    <Suspense fallback={<p>…</p>}>
      <Charts days={days} reasons={reasons} />
    </Suspense>
  );
}

function TraceView() {
  const { t } = useTranslation();
  const api = useApi();
  const [trace, setTrace] = useState<Trace | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('code'));
    const id = await parentIdOf(api, text);
    const found = id.ok ? await traceCertificate(api, id.value) : id;
    if (!found.ok) {
      setTrace(null);
      return setProblem(t('error.generic', { code: found.error.code }));
    }
    setProblem(null);
    setTrace(found.value);
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
          <section className="card">
            <h2>{t('regulator.up')}</h2>
            <ol>
              {trace.up.map((c) => (
                <li key={c.id}>
                  {c.issuerName} · {c.productName} · {c.quantity} {t(`unit.${c.unit}`)} · {c.id} ·{' '}
                  {c.status === 'valid' ? t('verify.valid') : t('verify.invalid')}
                </li>
              ))}
            </ol>
          </section>
          <section className="card">
            <h2>{t('regulator.down')}</h2>
            <p className="hint">{t('regulator.traceLimit')}</p>
            <Downstream node={trace.down} />
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
              <li key={lot.id}>
                {t('regulator.lots')}: {lot.plate} {lot.productName} {lot.quantity} {t(`unit.${lot.unit}`)} ·{' '}
                {lot.outcome ? t(`outcome.${lot.outcome}`, lot.outcome) : lot.status}
              </li>
            ))}
          </ul>
        )}
        {node.children.map((child) => (
          <Downstream key={child.certificate.id} node={child} />
        ))}
      </li>
    </ul>
  );
}
