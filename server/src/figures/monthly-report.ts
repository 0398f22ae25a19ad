import { type BreakdownRow, type Figures, outcomeWords } from '@liangzheng/domain';
import writeXlsxFile, { type Column } from 'write-excel-file/node';

/** Who the report is from and for: the region it covers and the level above it (市 → 省). */
export interface ReportHeading {
  month: string;
  regionName: string;
  /** the level above, which the report goes to; null for the whole country */
  reportTo: string | null;
  generatedAt: string;
}

type ReasonCount = Figures['violationsByReason'][number];

interface Pair {
  label: string;
  value: string | number;
}

/** Outcome headers in the gate's words (通过, 需人工复核, 拒绝), from the one table in the domain. */
const outcomeLabel = (outcome: 'accept' | 'review' | 'reject') =>
  `${outcomeWords['zh-CN'][outcome]} ${outcomeWords.en[outcome]}`;

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

function summary(heading: ReportHeading, f: Figures): Pair[] {
  const sum = (of: (d: Figures['days'][number]) => number) => f.days.reduce((total, d) => total + of(d), 0);
  const lots = sum((d) => d.lots);
  const inspected = sum((d) => d.inspectedLots);
  const verified = sum((d) => d.verifiedLots);
  return [
    { label: '报告月份 Month', value: heading.month },
    { label: '辖区 Region', value: heading.regionName },
    { label: '报送 Report to', value: heading.reportTo ?? '—' },
    { label: '统计区间 Period', value: `${f.from} – ${f.to} (${f.timeZone}, UTC${f.utcOffset})` },
    { label: '到货批次 Lots', value: lots },
    { label: '已查验批次 Inspected lots', value: inspected },
    { label: '查验率 Inspection rate', value: percent(lots ? inspected / lots : null) },
    { label: '核验通过率 Verified rate', value: percent(lots ? verified / lots : null) },
    { label: outcomeLabel('accept'), value: sum((d) => d.outcomes.accept) },
    { label: outcomeLabel('review'), value: sum((d) => d.outcomes.review) },
    { label: outcomeLabel('reject'), value: sum((d) => d.outcomes.reject) },
    { label: '违规 Violations', value: f.violationsByReason.reduce((total, r) => total + r.count, 0) },
    { label: '在册生产者 Registered producers', value: f.issuing.registeredProducers },
    { label: '开证生产者 Producers issuing', value: f.issuing.issuingProducers },
    { label: '开证率 Issuing rate', value: percent(f.issuing.issuingRate) },
    { label: '快检批次 Rapid tests', value: f.rapidTests.tests },
    { label: '快检阳性 Positives', value: f.rapidTests.positives },
    { label: '确认阳性 Confirmed positives', value: f.rapidTests.confirmedPositives },
    { label: '重复违规主体 Repeat offenders', value: f.repeatOffenders.length },
    { label: '生成时间 Generated', value: heading.generatedAt },
  ];
}

const text = (value: string | number) => ({ value: String(value) });
const count = (value: number) => ({ value, type: Number });
const rateCell = (rate: number | null) =>
  rate === null ? { value: undefined } : { value: rate, format: '0.0%', type: Number };

const dayColumns: Column<Figures['days'][number]>[] = [
  { header: '日期 Day', cell: (d) => text(d.day), width: 12 },
  { header: '到货 Lots', cell: (d) => count(d.lots), width: 10 },
  { header: '已查验 Inspected', cell: (d) => count(d.inspectedLots), width: 12 },
  { header: '查验率 Inspection rate', cell: (d) => rateCell(d.inspectionRate), width: 14 },
  { header: '核验通过 Verified', cell: (d) => count(d.verifiedLots), width: 12 },
  { header: outcomeLabel('accept'), cell: (d) => count(d.outcomes.accept), width: 10 },
  { header: outcomeLabel('review'), cell: (d) => count(d.outcomes.review), width: 10 },
  { header: outcomeLabel('reject'), cell: (d) => count(d.outcomes.reject), width: 10 },
  {
    header: '违规 Violations',
    cell: (d) => count(Object.values(d.violations).reduce((a, b) => a + b, 0)),
    width: 10,
  },
];

const cutColumns = (what: string): Column<BreakdownRow>[] => [
  { header: what, cell: (r) => text(r.name), width: 30 },
  { header: '代码 Key', cell: (r) => text(r.key), width: 12 },
  { header: '到货 Lots', cell: (r) => count(r.lots), width: 10 },
  { header: '已查验 Inspected', cell: (r) => count(r.inspectedLots), width: 12 },
  { header: '查验率 Inspection rate', cell: (r) => rateCell(r.inspectionRate), width: 14 },
  { header: outcomeLabel('accept'), cell: (r) => count(r.outcomes.accept), width: 10 },
  { header: outcomeLabel('review'), cell: (r) => count(r.outcomes.review), width: 10 },
  { header: outcomeLabel('reject'), cell: (r) => count(r.outcomes.reject), width: 10 },
  { header: '违规 Violations', cell: (r) => count(r.violations), width: 10 },
];

export interface ReportCuts {
  region: BreakdownRow[];
  market: BreakdownRow[];
  category: BreakdownRow[];
  producer: BreakdownRow[];
}

/**
 * The monthly report for the level above, as one workbook: a summary, the month day by day, the cuts per region,
 * market, category and producer, violations by reason and repeat offenders — the dashboard's figures.
 */
export async function monthlyWorkbook(heading: ReportHeading, f: Figures, cuts: ReportCuts): Promise<Buffer> {
  // With several sheets the writer takes rows of cells, not objects: each sheet is laid out here.
  const sheet = <T>(name: string, rows: T[], columns: Column<T>[]) => ({
    data: [
      columns.map((column) => ({ value: String(column.header ?? ''), fontWeight: 'bold' })),
      ...rows.map((row, index) => columns.map((column) => column.cell(row, index))),
    ],
    columns: columns.map((column) => ({ width: column.width })),
    sheet: name,
    stickyRowsCount: 1,
  });
  return writeXlsxFile([
    sheet('概况 Summary', summary(heading, f), [
      { header: '项目 Item', cell: (p: Pair) => text(p.label), width: 32 },
      {
        header: '数值 Value',
        cell: (p: Pair) => (typeof p.value === 'number' ? count(p.value) : text(p.value)),
        width: 40,
      },
    ]),
    sheet('按日 Daily', f.days, dayColumns),
    sheet('按区划 Regions', cuts.region, cutColumns('区划 Region')),
    sheet('按市场 Markets', cuts.market, cutColumns('市场 Market')),
    sheet('按品类 Categories', cuts.category, cutColumns('品类 Category')),
    sheet('按生产者 Producers', cuts.producer, cutColumns('生产者 Producer')),
    sheet('违规原因 Violations', f.violationsByReason, [
      { header: '原因 Reason', cell: (r: ReasonCount) => text(r.reason), width: 28 },
      { header: '数量 Count', cell: (r: ReasonCount) => count(r.count), width: 10 },
    ]),
    sheet('重复违规 Repeat offenders', f.repeatOffenders, [
      { header: '主体 Who', cell: (o) => text(o.name), width: 30 },
      {
        header: '类型 Kind',
        cell: (o) => text(o.kind === 'producer' ? '生产者 producer' : '供货人 supplier'),
        width: 16,
      },
      { header: '违规 Violations', cell: (o) => count(o.violations), width: 10 },
      { header: '原因 Reasons', cell: (o) => text(o.reasons.join(', ')), width: 40 },
    ]),
  ] as never).toBuffer();
}
