import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/audit-log.ts';
import { buildTestApp, listenOnLoopback, type TestApp, testDbKind } from '../helper.ts';
import { cooperativeCertificates, lotItem, truckForStall } from './custody-fixture.ts';

/**
 * Twenty-four repacks at once over real HTTP on one truck's twelve items: ten on items of their own, seven each on
 * two items that hold four. On PostgreSQL the store writes the repacks that queue behind a running write as one
 * statement (group commit); a batch whose summed takes no longer fit is written again one repack at a time. Either
 * way each repack is answered as if it had been alone, and the audit chain stays whole.
 */
describe(`repacks sent together (${testDbKind})`, () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    base = await listenOnLoopback(t);
  }, 120_000);
  afterAll(async () => t?.close());

  it('are each stored or refused as if alone: 18 stored, 6 QUANTITY_EXCEEDED, no item overdrawn', async () => {
    const stallId = t.demo!.stalls.a01;
    const certificates = await cooperativeCertificates(t, 12, { quantity: 20 });
    const { lotId, outcome } = await truckForStall(t, stallId, certificates, { quantity: 240 });
    expect(outcome).toBe('accept');
    const items = certificates.map((certificate) => lotItem(lotId, certificate.id));
    const vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    // items 0–9 once each; items 10 and 11 seven times each, of which four fit
    const targets = [...items.slice(0, 10), ...Array(7).fill(items[10]), ...Array(7).fill(items[11])];
    const answers = await Promise.all(
      targets.map((itemId) =>
        fetch(`${base}/api/v1/stalls/${stallId}/transformations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...vendor },
          body: JSON.stringify({
            kind: 'repack',
            inputs: [{ itemId, quantity: 5 }],
            outputs: [{ quantity: 5 }],
          }),
        }).then(async (res) => ({
          itemId: itemId as string,
          status: res.status,
          body: (await res.json()) as { id?: string; error?: { code: string } },
        })),
      ),
    );
    const storedAnswers = answers.filter((a) => a.status === 201);
    expect(storedAnswers).toHaveLength(18);
    expect(
      answers.filter((a) => a.status !== 201).map((a) => [a.itemId, a.status, a.body.error?.code]),
    ).toEqual([
      ...Array(3).fill([items[10], 409, 'QUANTITY_EXCEEDED']),
      ...Array(3).fill([items[11], 409, 'QUANTITY_EXCEEDED']),
    ]);
    const drawn = await t.prisma.inventoryItem.findMany({
      where: { id: { in: items } },
      select: { id: true, drawn: true },
    });
    expect(new Map(drawn.map((item) => [item.id, item.drawn]))).toEqual(
      new Map(items.map((id, i) => [id, i < 10 ? 5 : 20])),
    );
    for (const id of storedAnswers.map((a) => a.body.id!)) {
      expect(await t.prisma.auditLog.count({ where: { entity: 'transformation', entityId: id } })).toBe(1);
      expect(await t.prisma.transformationDraw.count({ where: { transformationId: id } })).toBe(1);
    }
    expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true });
  }, 120_000);

  // SQLite's store writes each repack in a transaction of its own: there is nothing to group there.
  it.runIf(testDbKind === 'postgresql')(
    'are written in fewer statements than repacks while a write waits (PostgreSQL)',
    async () => {
      const stallId = t.demo!.stalls.a01;
      const certificates = await cooperativeCertificates(t, 12, { quantity: 20 });
      const { lotId } = await truckForStall(t, stallId, certificates, { quantity: 240 });
      const vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
      let answers: Promise<{ status: number; id?: string }[]> | undefined;
      // The audit lock held by another transaction (7355608, every audit writer's): the first write waits on it,
      // and the repacks decided meanwhile queue behind it, whatever the machine's speed.
      await t.prisma.$transaction(
        async (tx) => {
          await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(7355608)');
          answers = Promise.all(
            certificates.map((certificate) =>
              fetch(`${base}/api/v1/stalls/${stallId}/transformations`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...vendor },
                body: JSON.stringify({
                  kind: 'repack',
                  inputs: [{ itemId: lotItem(lotId, certificate.id), quantity: 5 }],
                  outputs: [{ quantity: 5 }],
                }),
              }).then(async (res) => ({ status: res.status, ...((await res.json()) as { id?: string }) })),
            ),
          );
          const deadline = Date.now() + 20_000;
          while (Date.now() < deadline) {
            const [locks] = await t.prisma.$queryRawUnsafe<{ waiting: bigint }[]>(
              `SELECT count(*) AS waiting FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
            );
            if (Number(locks?.waiting) > 0) break;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          await new Promise((resolve) => setTimeout(resolve, 1500));
        },
        { timeout: 30_000 },
      );
      const stored = (await answers!).map((answer) => {
        expect(answer.status).toBe(201);
        return answer.id!;
      });
      expect(stored).toHaveLength(12);
      // Rows written by one autocommitted statement share its transaction id.
      const rows = await t.prisma.$queryRawUnsafe<{ statements: bigint }[]>(
        `SELECT count(DISTINCT xmin::text) AS statements FROM "Transformation" WHERE "id" = ANY($1::text[])`,
        stored,
      );
      expect(Number(rows[0]!.statements)).toBeLessThan(stored.length);
      expect(await verifyAuditChain(t.prisma)).toMatchObject({ ok: true });
    },
    60_000,
  );
});
