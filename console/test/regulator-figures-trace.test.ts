import { describe, expect, it } from 'vitest';
import type { Figures, Trace } from '../src/api/api.ts';
import { chartPeriods, percentText, rangeTotals } from '../src/regulator/figures.ts';
import { traceView } from '../src/regulator/trace.ts';

const certificate = (id: string, depth: number, parents: string[] = []) => ({
  id,
  kind: parents.length ? 'repack' : 'producer',
  depth,
  issuerId: 1,
  issuerName: `issuer ${id}`,
  issuerRegion: '430182',
  productCode: 1001,
  productName: '大白菜',
  category: 'vegetable',
  quantity: 100,
  unit: 'kg',
  usedQuantity: 0,
  originRegion: '430182',
  originText: '',
  issuedAt: '2026-03-15T01:00:00.000Z',
  status: 'valid',
  parents: parents.map((certificateId) => ({ certificateId, quantity: 20 })),
});
const lot = (lotId: string, certificateId: string) => ({
  lotId,
  certificateId,
  marketId: 1,
  marketName: '马王堆',
  regionCode: '430102',
  gateId: 1,
  gateName: '东门',
  stallId: null,
  stallNumber: null,
  productName: '大白菜',
  quantity: 20,
  unit: 'kg',
  quantityClaim: 20,
  openedAt: '2026-03-15T06:00:00.000Z',
  status: 'judged',
  outcome: 'accept',
});

describe('the trace from the server, arranged for the screen', () => {
  it('lists sources from the certificate up and nests repacks with their own lots', () => {
    const trace: Trace = {
      certificateId: 'b',
      regionPrefix: '4301',
      certificates: [
        certificate('a', -1),
        certificate('b', 0, ['a']),
        certificate('c', 1, ['b']),
        certificate('d', 2, ['c']),
      ],
      lots: [lot('lot-b', 'b'), lot('lot-d', 'd')],
      scans: [],
      truncated: false,
    };
    const view = traceView(trace)!;
    expect(view.up.map((c) => c.id)).toEqual(['b', 'a']);
    expect(view.down.certificate.id).toBe('b');
    expect(view.down.lots.map((l) => l.lotId)).toEqual(['lot-b']);
    const c = view.down.children[0]!;
    expect(c.certificate.id).toBe('c');
    expect(c.lots).toEqual([]);
    expect(c.children[0]!.lots.map((l) => l.lotId)).toEqual(['lot-d']);
  });

  it('gives nothing for a trace without its own certificate', () => {
    expect(
      traceView({
        certificateId: 'x',
        regionPrefix: null,
        certificates: [],
        lots: [],
        scans: [],
        truncated: false,
      }),
    ).toBeUndefined();
  });
});

describe('the figures from the server, flattened for the chart', () => {
  const lotCounts = (lots: number, inspectedLots: number, verifiedLots: number, accept: number) => ({
    lots,
    scannedLots: inspectedLots,
    inspectedLots,
    verifiedLots,
    inspectionRate: lots ? inspectedLots / lots : null,
    verifiedRate: lots ? verifiedLots / lots : null,
    outcomes: { accept, review: 0, reject: lots - accept - 1 },
  });
  const figures: Figures = {
    from: '2026-03-14',
    to: '2026-03-15',
    regionPrefix: '4301',
    marketId: null,
    timeZone: 'Asia/Shanghai',
    utcOffset: '+08:00',
    days: [
      { day: '2026-03-14', ...lotCounts(4, 2, 1, 1), violations: { MISSING: 2 } },
      {
        day: '2026-03-15',
        ...lotCounts(0, 0, 0, 0),
        outcomes: { accept: 0, review: 0, reject: 0 },
        violations: {},
      },
    ],
    period: 'day',
    periods: [
      {
        start: '2026-03-14',
        end: '2026-03-14',
        ...lotCounts(4, 2, 1, 1),
        violations: 2,
        rapidTests: 1,
        positives: 1,
      },
      {
        start: '2026-03-15',
        end: '2026-03-15',
        ...lotCounts(0, 0, 0, 0),
        outcomes: { accept: 0, review: 0, reject: 0 },
        violations: 0,
        rapidTests: 0,
        positives: 0,
      },
    ],
    breakdown: null,
    violationsByReason: [{ reason: 'MISSING', count: 2 }],
    repeatOffenders: [],
    issuing: { registeredProducers: 2, issuingProducers: 1, issuingRate: 0.5 },
    rapidTests: { tests: 1, positives: 1, confirmedPositives: 0 },
  };

  it('keeps every period, its outcomes and the lots still pending; an empty day has no rate (a gap)', () => {
    expect(chartPeriods(figures)).toEqual([
      {
        label: '2026-03-14',
        lots: 4,
        accept: 1,
        review: 0,
        reject: 2,
        pending: 1,
        inspectionRate: 0.5,
        verifiedRate: 0.25,
        violations: 2,
        rapidTests: 1,
        positives: 1,
      },
      {
        label: '2026-03-15',
        lots: 0,
        accept: 0,
        review: 0,
        reject: 0,
        pending: 0,
        inspectionRate: null,
        verifiedRate: null,
        violations: 0,
        rapidTests: 0,
        positives: 0,
      },
    ]);
    expect(percentText(null)).toBe('—');
  });

  it('sums the range for the headline', () => {
    expect(rangeTotals(figures)).toEqual({
      lots: 4,
      inspectedLots: 2,
      verifiedLots: 1,
      inspectionRate: 0.5,
      verifiedRate: 0.25,
    });
  });
});
