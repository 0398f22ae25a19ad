import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Figures, type FiguresParams, figuresReportUrl } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { problemText } from '../api/api-problem.ts';
import { type ChartPeriod, chartPeriods, percentText, rangeTotals } from './figures.ts';

const Charts = lazy(() => import('./charts.tsx'));

type Period = NonNullable<FiguresParams['period']>;
type Cut = NonNullable<FiguresParams['groupBy']>;

/** The month before the one the figures end in: the report a city sends up at the start of the next month. */
function reportMonthOf(to: string): string {
  const [year, month] = to.split('-').map(Number) as [number, number];
  return month === 1 ? `${year - 1}-12` : `${year}-${String(month - 1).padStart(2, '0')}`;
}

/** The regulator's dashboard: pick a range, a period and a cut; charts with a table beside them that says the same. */
export function Dashboard() {
  const { t } = useTranslation();
  const api = useApi();
  const [params, setParams] = useState<FiguresParams>({ period: 'day' });
  const figures = useQuery({ queryKey: ['figures', params], queryFn: () => api.figures(params) });
  const set = (change: Partial<FiguresParams>) => setParams((current) => ({ ...current, ...change }));
  const value = figures.data?.ok ? figures.data.value : null;
  const [month, setMonth] = useState<string | null>(null);
  const reportMonth = month ?? (value ? reportMonthOf(value.to) : '');

  return (
    <>
      <form className="card figure-controls" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('figures.from')}
          <input
            type="date"
            value={params.from ?? value?.from ?? ''}
            onChange={(e) => set({ from: e.target.value })}
          />
        </label>
        <label>
          {t('figures.to')}
          <input
            type="date"
            value={params.to ?? value?.to ?? ''}
            onChange={(e) => set({ to: e.target.value })}
          />
        </label>
        <label>
          {t('figures.period')}
          <select value={params.period} onChange={(e) => set({ period: e.target.value as Period })}>
            {(['day', 'week', 'month'] as const).map((p) => (
              <option key={p} value={p}>
                {t(`figures.periods.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('figures.groupBy')}
          <select
            value={params.groupBy ?? ''}
            onChange={(e) => set({ groupBy: (e.target.value || undefined) as Cut | undefined })}
          >
            <option value="">{t('figures.noCut')}</option>
            {(['region', 'market', 'category', 'producer'] as const).map((c) => (
              <option key={c} value={c}>
                {t(`figures.cuts.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('figures.reportMonth')}
          <input type="month" value={reportMonth} onChange={(e) => setMonth(e.target.value)} />
        </label>
        <a className="button" href={figuresReportUrl(reportMonth)} download>
          {t('figures.downloadReport')}
        </a>
      </form>
      {!figures.data ? (
        <p role="status" aria-busy="true">
          {t('regulator.loading')}
        </p>
      ) : !figures.data.ok ? (
        <p className="problem" role="alert">
          {problemText(t, figures.data.error)}
        </p>
      ) : (
        <FiguresView figures={figures.data.value} />
      )}
    </>
  );
}

function FiguresView({ figures }: { figures: Figures }) {
  const { t } = useTranslation();
  const totals = rangeTotals(figures);
  const periods = chartPeriods(figures);
  return (
    <>
      <p className="hint figure-headline">
        {t('regulator.period', { from: figures.from, to: figures.to })} · {t('regulator.lots')} {totals.lots}{' '}
        · {t('regulator.inspectionRate')} {percentText(totals.inspectionRate)} · {t('regulator.verifiedRate')}{' '}
        {percentText(totals.verifiedRate)} · {t('figures.issuingRate')}{' '}
        {percentText(figures.issuing.issuingRate)} ({figures.issuing.issuingProducers}/
        {figures.issuing.registeredProducers}) · {t('figures.rapidTests')} {figures.rapidTests.tests} ·{' '}
        {t('figures.positives')} {figures.rapidTests.positives}
      </p>
      {totals.lots === 0 ? (
        <p className="card empty">{t('regulator.noFigures')}</p>
      ) : (
        <Suspense fallback={<p role="status">{t('regulator.loading')}</p>}>
          <Charts periods={periods} reasons={figures.violationsByReason} />
        </Suspense>
      )}
      <PeriodTable periods={periods} />
      {figures.breakdown && <CutTable breakdown={figures.breakdown} />}
      <section className="card">
        <h2>{t('regulator.byReason')}</h2>
        {figures.violationsByReason.length ? (
          <table className="figures-table">
            <thead>
              <tr>
                <th scope="col">{t('regulator.reason')}</th>
                <th scope="col">{t('figures.count')}</th>
              </tr>
            </thead>
            <tbody>
              {figures.violationsByReason.map((r) => (
                <tr key={r.reason}>
                  <td>{t(`reason.${r.reason}`, r.reason)}</td>
                  <td>{r.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="hint">{t('regulator.noViolations')}</p>
        )}
      </section>
      <section className="card">
        <h2>{t('figures.repeatOffenders')}</h2>
        {figures.repeatOffenders.length ? (
          <table className="figures-table">
            <thead>
              <tr>
                <th scope="col">{t('figures.who')}</th>
                <th scope="col">{t('figures.violations')}</th>
                <th scope="col">{t('regulator.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {figures.repeatOffenders.map((o) => (
                <tr key={o.key}>
                  <td>
                    {o.name} ({t(`figures.offenderKinds.${o.kind}`)})
                  </td>
                  <td>{o.violations}</td>
                  <td>{o.reasons.map((r) => t(`reason.${r}`, r)).join('、')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="hint">{t('figures.noRepeatOffenders')}</p>
        )}
      </section>
    </>
  );
}

/** The charts' text alternative: the same numbers per period, with a dash where a rate has nothing to count. */
function PeriodTable({ periods }: { periods: ChartPeriod[] }) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2 id="figures-table-title">{t('figures.tableTitle')}</h2>
      <div className="table-scroll">
        <table className="figures-table" aria-labelledby="figures-table-title">
          <thead>
            <tr>
              <th scope="col">{t('figures.when')}</th>
              <th scope="col">{t('regulator.lots')}</th>
              <th scope="col" className="outcome-accept">
                {t('outcome.accept')}
              </th>
              <th scope="col" className="outcome-review">
                {t('outcome.review')}
              </th>
              <th scope="col" className="outcome-reject">
                {t('outcome.reject')}
              </th>
              <th scope="col" className="outcome-pending">
                {t('figures.pending')}
              </th>
              <th scope="col">{t('regulator.inspectionRate')}</th>
              <th scope="col">{t('regulator.verifiedRate')}</th>
              <th scope="col">{t('figures.violations')}</th>
              <th scope="col">{t('figures.rapidTests')}</th>
              <th scope="col">{t('figures.positives')}</th>
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.label}>
                <th scope="row">{p.label}</th>
                <td>{p.lots}</td>
                <td>{p.accept}</td>
                <td>{p.review}</td>
                <td>{p.reject}</td>
                <td>{p.pending}</td>
                <td>{percentText(p.inspectionRate)}</td>
                <td>{percentText(p.verifiedRate)}</td>
                <td>{p.violations}</td>
                <td>{p.rapidTests}</td>
                <td>{p.positives}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function CutTable({ breakdown }: { breakdown: NonNullable<Figures['breakdown']> }) {
  const { t } = useTranslation();
  return (
    <section className="card">
      <h2>{t(`figures.cuts.${breakdown.groupBy}`)}</h2>
      <div className="table-scroll">
        <table className="figures-table">
          <thead>
            <tr>
              <th scope="col">{t(`figures.cuts.${breakdown.groupBy}`)}</th>
              <th scope="col">{t('regulator.lots')}</th>
              <th scope="col">{t('regulator.inspectionRate')}</th>
              <th scope="col">{t('outcome.accept')}</th>
              <th scope="col">{t('outcome.review')}</th>
              <th scope="col">{t('outcome.reject')}</th>
              <th scope="col">{t('figures.violations')}</th>
            </tr>
          </thead>
          <tbody>
            {breakdown.rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.name}</th>
                <td>{r.lots}</td>
                <td>{percentText(r.inspectionRate)}</td>
                <td>{r.outcomes.accept}</td>
                <td>{r.outcomes.review}</td>
                <td>{r.outcomes.reject}</td>
                <td>{r.violations}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
