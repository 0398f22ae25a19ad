import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, listenOnLoopback, type TestApp } from '../helper.ts';
import { addGateDevice, bearer, issueTestCertificate, openLot, scanBody } from './scan-fixture.ts';

/**
 * The quantity ledger under contention: 50 lots of 20 kg each, scanned at once over real HTTP from two gates,
 * against one 500 kg certificate. Exactly 25 can fit; the rest must be refused QUANTITY_EXCEEDED.
 */
describe('quantity ledger under concurrent scans', () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    base = await listenOnLoopback(t);
  }, 60_000);
  afterAll(async () => t?.close());

  it('never charges a certificate past its quantity across 50 concurrent scans from two gates', async () => {
    const demo = t.demo!;
    const north = await t.prisma.gate.findFirstOrThrow({
      where: { marketId: demo.markets.wholesale, id: { not: demo.gates.wholesaleEast } },
    });
    const gates = [
      { token: demo.deviceToken, gateId: demo.gates.wholesaleEast },
      { token: await addGateDevice(t, north.id, 'north'), gateId: north.id },
    ];
    const cert = await issueTestCertificate(t, { issuerId: demo.issuers.coop, quantity: 500 });
    const lots = [];
    for (let i = 0; i < 50; i++) {
      const gate = gates[i % 2]!;
      lots.push({ gate, lotId: await openLot(t, gate.token, { quantity: 20 }) });
    }

    const answers = await Promise.all(
      lots.map(async ({ gate, lotId }) => {
        const res = await fetch(`${base}/api/v1/scans`, {
          method: 'POST',
          headers: { ...bearer(gate.token), 'content-type': 'application/json' },
          body: JSON.stringify(scanBody(lotId, gate.gateId, cert.text)),
        });
        expect(res.status).toBe(200);
        return (await res.json()) as { verdict: { outcome: string; reasons: { code: string }[] } };
      }),
    );

    const accepted = answers.filter((a) => a.verdict.outcome === 'accept');
    const refused = answers.filter((a) => a.verdict.reasons.some((r) => r.code === 'QUANTITY_EXCEEDED'));
    expect(accepted).toHaveLength(25);
    expect(refused).toHaveLength(25);
    const stored = await t.prisma.certificate.findUniqueOrThrow({ where: { id: cert.id } });
    expect(stored.usedQuantity).toBe(500);
    const charged = await t.prisma.lotDocument.aggregate({
      where: { certificateId: cert.id },
      _sum: { quantityClaim: true },
    });
    expect(charged._sum.quantityClaim).toBe(500);
    expect(await t.prisma.scan.count({ where: { certificateId: cert.id } })).toBe(50);
  }, 60_000);
});
