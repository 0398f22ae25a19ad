import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import type { ChartPeriod } from './figures.ts';

// Loaded lazily: echarts is most of the console's weight and only the regulator's dashboard draws charts.
echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  CanvasRenderer,
]);

// The gate's colours: accept green, review amber, reject red, pending (still being inspected) blue.
const colours = { accept: '#17803a', review: '#e0a000', reject: '#c62828', pending: '#1d4fa8' };

/** A rate in percent; null stays null, so the line has a gap where no lot arrived instead of dropping to 0 %. */
const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 100));

export default function Charts({
  periods,
  reasons,
}: {
  periods: ChartPeriod[];
  reasons: { reason: string; count: number }[];
}) {
  const { t } = useTranslation();
  // Charts appear at once for people who asked their system for less motion.
  const animation = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  const perDay = {
    animation,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    xAxis: { type: 'category', data: periods.map((p) => p.label) },
    yAxis: [
      { type: 'value', name: t('regulator.lots'), minInterval: 1 },
      {
        type: 'value',
        name: t('regulator.rate'),
        min: 0,
        max: 100,
        axisLabel: { formatter: '{value}%' },
      },
    ],
    series: [
      ...(['accept', 'review', 'reject', 'pending'] as const).map((o) => ({
        name: o === 'pending' ? t('figures.pending') : t(`outcome.${o}`),
        type: 'bar',
        stack: 'outcome',
        color: colours[o],
        data: periods.map((p) => p[o]),
      })),
      {
        name: t('regulator.inspectionRate'),
        type: 'line',
        yAxisIndex: 1,
        connectNulls: false,
        data: periods.map((p) => percent(p.inspectionRate)),
      },
      {
        name: t('regulator.verifiedRate'),
        type: 'line',
        yAxisIndex: 1,
        lineStyle: { type: 'dashed' },
        connectNulls: false,
        data: periods.map((p) => percent(p.verifiedRate)),
      },
    ],
  };
  const byReason = {
    animation,
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'pie',
        radius: ['35%', '70%'],
        data: reasons.map((r) => ({ name: t(`reason.${r.reason}`, r.reason), value: r.count })),
      },
    ],
  };
  return (
    <div className="charts">
      <section className="card">
        <h2>{t('regulator.outcomesPerDay')}</h2>
        {/* The table below the charts says the same in text (figures-table-title). */}
        <div role="img" aria-label={t('figures.chartAlt')} aria-describedby="figures-table-title">
          <ReactEChartsCore echarts={echarts} option={perDay} style={{ height: 320 }} />
        </div>
      </section>
      <section className="card">
        <h2>{t('regulator.byReason')}</h2>
        {reasons.length ? (
          <ReactEChartsCore echarts={echarts} option={byReason} style={{ height: 320 }} />
        ) : (
          <p className="hint">{t('regulator.noViolations')}</p>
        )}
      </section>
    </div>
  );
}
