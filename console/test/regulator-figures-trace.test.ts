import { describe, expect, it } from 'vitest';
import type { Figures, Trace } from '../src/api/api.ts';
import type { ApiResponse } from '../src/api/transport.ts';
import { chartPeriods, percentText, rangeTotals } from '../src/regulator/figures.ts';
import { traceView } from '../src/regulator/trace.ts';
import recorded from './fixtures/regulator-exchanges.json' with { type: 'json' };

/**
 * Recorded from the real app on the demo data, as 长沙's regulator reads it, by
 * server/test/figures/regulator-fixtures.test.ts: the cooperative's cabbage and the stall's repack of it, and
 * three days of figures (arrivals, a day without any, today's accepted, rejected and waiting trucks).
 */
const exchanges = recorded as { name: string; path: string; response: ApiResponse }[];
const body = <T>(name: string) => exchanges.find((e) => e.name === name)!.response.body as T;

const producerTrace = body<Trace>('trace-producer');
const repackTrace = body<Trace>('trace-repack');
const figures = body<Figures>('figures-days');

describe('the trace from the server, arranged for the screen', () => {
  it('puts the producer’s certificate at the root with its lots, and the repack made of it below', () => {
    const view = traceView(producerTrace)!;
    expect(view.up.map((c) => c.id)).toEqual([producerTrace.certificateId]);
    expect(view.down.certificate.id).toBe(producerTrace.certificateId);
    const ownLots = producerTrace.lots.filter((l) => l.certificateId === producerTrace.certificateId);
    expect(ownLots.length).toBeGreaterThan(0);
    expect(view.down.lots).toEqual(ownLots);
    const repack = producerTrace.certificates.find((c) => c.depth === 1)!;
    expect(view.down.children.map((c) => c.certificate.id)).toEqual([repack.id]);
    expect(view.down.children[0]!.certificate.parents.map((p) => p.certificateId)).toEqual([
      producerTrace.certificateId,
    ]);
  });

  it('lists a repack’s sources from the repack up to the producer', () => {
    const view = traceView(repackTrace)!;
    expect(view.up.map((c) => c.id)).toEqual([repackTrace.certificateId, producerTrace.certificateId]);
    expect(view.up.map((c) => c.depth)).toEqual([0, -1]);
    expect(view.down.children).toEqual([]);
  });

  it('gives nothing for a trace without its own certificate', () => {
    expect(traceView({ ...producerTrace, certificates: [] })).toBeUndefined();
  });
});

describe('the figures from the server, flattened for the chart', () => {
  it('keeps every day with its outcomes and the lots still waiting; a day without lots has no rate (a gap)', () => {
    const periods = chartPeriods(figures);
    expect(periods.map((p) => p.label)).toEqual(['2026-03-13', '2026-03-14', '2026-03-15']);
    const [before, empty, today] = periods;
    expect(before).toMatchObject({ lots: 1, accept: 1, reject: 0, pending: 0, inspectionRate: 1 });
    expect(empty).toMatchObject({ lots: 0, pending: 0, inspectionRate: null, verifiedRate: null });
    // the accepted truck, the re-used code and the truck still waiting for its certificate
    expect(today).toMatchObject({ lots: 3, accept: 1, review: 0, reject: 1, pending: 1, violations: 1 });
    expect(percentText(empty!.inspectionRate)).toBe('—');
    expect(percentText(today!.inspectionRate)).toBe('67%');
  });

  it('sums the range for the headline', () => {
    const totals = rangeTotals(figures);
    expect(totals.lots).toBe(4);
    expect(totals.inspectedLots).toBe(figures.days.reduce((sum, d) => sum + d.inspectedLots, 0));
    expect(totals.inspectionRate).toBe(totals.inspectedLots / 4);
  });
});
