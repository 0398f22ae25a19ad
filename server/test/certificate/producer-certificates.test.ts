import { CertificateTrace, ProducerCertificateList } from '@liangzheng/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { addGateDevice, bearer, openLot, scanBody } from '../scan/scan-fixture.ts';

/** GET /producer/certificates: the producer screen's one read (its certificates, their use and scans). */
describe('the producer’s certificate list with scans', () => {
  let t: TestApp;
  let coop: SessionHeaders;
  const list = (query: string, headers: Record<string, string>) =>
    t.inject({ method: 'GET', url: `/api/v1/producer/certificates${query}` }, headers);

  async function scan(token: string, gateId: number, lotId: string, certificateId: string) {
    const { code } = await t.prisma.certificate.findUniqueOrThrow({ where: { id: certificateId } });
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gateId, code) },
      bearer(token),
    );
    expect(res.statusCode, res.body).toBe(200);
  }

  // The cooperative's first demo certificate is read at 马王堆's east gate and at the 株洲 supermarket's dock.
  let scannedId: string;
  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    const demo = t.demo!;
    scannedId = demo.certificateIds[0]!;
    const wholesaleLot = await openLot(t, demo.deviceToken, { quantity: 50 });
    await scan(demo.deviceToken, demo.gates.wholesaleEast, wholesaleLot, scannedId);
    const dockToken = await addGateDevice(t, demo.gates.supermarketDock, 'dock');
    const supermarketLot = await openLot(t, dockToken, { quantity: 80 });
    await scan(dockToken, demo.gates.supermarketDock, supermarketLot, scannedId);
    coop = await t.login(demo.users.producer, demo.password);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('gives each of the producer’s certificates its used quantity and the scans its trace shows', async () => {
    const res = await list('?limit=200', coop);
    expect(res.statusCode).toBe(200);
    const { certificates } = ProducerCertificateList.parse(res.json());
    const stored = await t.prisma.certificate.findMany({ where: { issuerId: t.demo!.issuers.coop } });
    expect(certificates.map((c) => c.id).sort()).toEqual(stored.map((c) => c.id).sort());
    const scanned = certificates.filter((c) => c.scans.length > 0);
    expect(scanned.length).toBeGreaterThan(0);
    for (const certificate of certificates) {
      const row = stored.find((c) => c.id === certificate.id)!;
      expect(certificate.usedQuantity).toBe(row.usedQuantity);
      const trace = await t.inject(
        { method: 'GET', url: `/api/v1/certificates/${certificate.id}/trace` },
        coop,
      );
      expect(trace.statusCode).toBe(200);
      const traced = CertificateTrace.parse(trace.json()).scans.filter(
        (s) => s.certificateId === certificate.id,
      );
      expect(certificate.scans).toEqual(
        traced.map(({ scanId, marketId, marketName, gateName, receivedAt, outcome }) => ({
          scanId,
          marketId,
          marketName,
          gateName,
          receivedAt,
          outcome,
        })),
      );
    }
    // Both reads carry the test's fixed clock, so their order is the scan ids'; compare them as a set.
    const seen = certificates.find((c) => c.id === scannedId)!.scans;
    expect(seen.map((s) => [s.marketId, s.marketName, s.gateName]).sort()).toEqual(
      [
        [t.demo!.markets.wholesale, '长沙马王堆蔬菜批发市场', '东门 1 号道口'],
        [t.demo!.markets.supermarket, '株洲天元鲜生超市', '收货口'],
      ].sort(),
    );
  });

  it('lists newest first, a page at a time', async () => {
    const all = ProducerCertificateList.parse((await list('?limit=200', coop)).json()).certificates;
    expect(all.length).toBeGreaterThan(2);
    const issued = all.map((c) => c.issuedAt);
    expect(issued).toEqual([...issued].sort().reverse());
    const first = ProducerCertificateList.parse((await list('?limit=2', coop)).json()).certificates;
    expect(first.map((c) => c.id)).toEqual(all.slice(0, 2).map((c) => c.id));
    const older = await list(`?limit=200&before=${encodeURIComponent(first[1]!.issuedAt)}`, coop);
    const olderIds = ProducerCertificateList.parse(older.json()).certificates.map((c) => c.id);
    expect(olderIds).toEqual(all.filter((c) => c.issuedAt < first[1]!.issuedAt).map((c) => c.id));
  });

  it('shows another producer none of the cooperative’s certificates', async () => {
    const farm = await t.login('jinyang_farm', t.demo!.password);
    const res = await list('?limit=200', farm);
    expect(res.statusCode).toBe(200);
    const { certificates } = ProducerCertificateList.parse(res.json());
    for (const certificate of certificates) expect(certificate.issuerId).toBe(t.demo!.issuers.farm);
  });

  it('refuses logins that are not a producer’s, and anyone logged out', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    expect((await list('', admin)).statusCode).toBe(403);
    const regulator = await t.login('changsha_regulator', t.demo!.password);
    expect((await list('', regulator)).statusCode).toBe(403);
    expect((await list('', {})).statusCode).toBe(401);
  });

  it.each([['?limit=0'], ['?limit=201'], ['?limit=ten'], ['?before=yesterday'], ['?issuerId=1']])(
    'answers %s with a coded 400',
    async (query) => {
      const res = await list(query, coop);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toEqual(expect.any(String));
    },
  );
});
