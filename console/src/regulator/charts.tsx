import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { useTranslation } from 'react-i18next';
import type { DayFigures } from './figures.ts';

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

const colours = { accept: '#17803a', review: '#e0a000', reject: '#c62828' };

export default function Charts({
  days,
  reasons,
}: {
  days: DayFigures[];
  reasons: { reason: string; count: number }[];
}) {
  const { t } = useTranslation();
  // Charts appear at once for people who asked their system for less motion.
  const animation = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
  const perDay = {
    animation,
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    xAxis: { type: 'category', data: days.map((d) => d.day) },
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
      ...(['accept', 'review', 'reject'] as const).map((o) => ({
        name: t(`outcome.${o}`),
        type: 'bar',
        stack: 'outcome',
        color: colours[o],
        data: days.map((d) => d[o]),
      })),
      {
        name: t('regulator.inspectionRate'),
        type: 'line',
        yAxisIndex: 1,
        data: days.map((d) => Math.round(d.inspectionRate * 100)),
      },
      {
        name: t('regulator.verifiedRate'),
        type: 'line',
        yAxisIndex: 1,
        lineStyle: { type: 'dashed' },
        data: days.map((d) => Math.round(d.verifiedRate * 100)),
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
        <ReactEChartsCore echarts={echarts} option={perDay} style={{ height: 320 }} />
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
