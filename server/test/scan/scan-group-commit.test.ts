import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit-log.ts';
import { createPgScanReads } from '../../src/scan/scan-reads.pg.ts';
import { ingestScan, type ScanServiceDeps } from '../../src/scan/scan-service.ts';
import { pgBatchedScanStore } from '../../src/scan/scan-store.pg.ts';
import { createPrismaScanStore } from '../../src/scan/scan-store.prisma.ts';
import type { ScanStore } from '../../src/scan/scan-store.ts';
import { buildTestApp, type TestApp } from '../helper.ts';
import { issueTestCertificate, openLot, scanBody } from './scan-fixture.ts';

/**
 * One burst of scans through the group-commit store of the database under test, so several land in one batch. On
 * PostgreSQL the store is built here as the app builds it, with its scan-by-scan fallback counted: the burst must be
 * written by the batches themselves (one statement per batch), since the fallback would give the same answers and
 * hide a batch statement that always fails.
 */
describe('scan group commit', () => {
  let t: TestApp;
  let store: ScanStore;
  let fallbacks = 0;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    if (t.app.dialect === 'postgresql') {
      const single = createPrismaScanStore(t.prisma, t.app.audit);
      const counted: ScanStore = {
        ...single,
        record(write) {
          fallbacks++;
          return single.record(write);
        },
      };
      store = pgBatchedScanStore(createPgScanReads(t.config.databaseUrl), counted);
    } else {
      store = t.app.scanFlow.store;
    }
  }, 60_000);
  afterAll(async () => {
    if (store !== t?.app.scanFlow.store) await store?.close();
    await t?.close();
  });

  it('refuses charges past the quantity inside one batch, answers a re-sent scan id with the first answer, and keeps the audit chain', async () => {
    const demo = t.demo!;
    const deps: ScanServiceDeps = { ...t.app.scanFlow.scanDeps, store };
    const device = {
      deviceId: demo.deviceId,
      gateId: demo.gates.wholesaleEast,
      marketId: demo.markets.wholesale,
    };
    const cert = await issueTestCertificate(t, { issuerId: demo.issuers.coop, quantity: 100 });
    const lots: string[] = [];
    for (let i = 0; i < 12; i++) lots.push(await openLot(t, demo.deviceToken, { quantity: 20 }));
    const bodies = lots.map((lotId) => scanBody(lotId, demo.gates.wholesaleEast, cert.text));
    const resent = bodies[0]!;

    const results = await Promise.all(
      [...bodies, resent].map((body) => ingestScan(deps, body as Parameters<typeof ingestScan>[1], device)),
    );

    const answers = results.map((result) => {
      if (!result.ok) throw new Error(`scan refused: ${result.error.code}`);
      return JSON.parse(result.response) as {
        scanId: string;
        verdict: { outcome: string; reasons: { code: string }[] };
        violationId: string | null;
      };
    });
    const first = answers.slice(0, 12);
    expect(first.filter((a) => a.verdict.outcome === 'accept')).toHaveLength(5);
    const refused = first.filter((a) => a.verdict.reasons.some((r) => r.code === 'QUANTITY_EXCEEDED'));
    expect(refused).toHaveLength(7);
    expect(results[12]).toMatchObject({ ok: true, response: (results[0] as { response: string }).response });

    const stored = await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } });
    expect(stored.usedQuantity).toBe(100);
    const charged = await t.prisma.lotDocument.aggregate({
      where: { certificateId: cert.id },
      _sum: { quantityClaim: true },
    });
    expect(charged._sum.quantityClaim).toBe(100);
    expect(await t.prisma.scan.count({ where: { lotId: { in: lots } } })).toBe(12);
    const violations = await t.prisma.violation.findMany({
      where: { lotId: { in: lots } },
      include: { events: true },
    });
    expect(violations.map((v) => v.id).sort()).toEqual(refused.map((a) => a.violationId).sort());
    expect(violations.every((v) => v.events.length === 1 && v.events[0]!.type === 'created')).toBe(true);
    const judged = await t.prisma.lot.findMany({ where: { id: { in: lots } }, select: { status: true } });
    expect(judged.every((lot) => lot.status === 'judged')).toBe(true);
    expect(
      await t.prisma.auditLog.count({
        where: { action: 'scan.judged', entityId: { in: first.map((a) => a.scanId) } },
      }),
    ).toBe(12);
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true });
    expect(fallbacks).toBe(0);
  });
});
