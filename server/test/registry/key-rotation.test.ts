import { afterEach, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { rotateDueKeys } from '../../src/registry/issuer-key.service.ts';
import { buildTestApp, TEST_NOW, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

describe('issuer key rotation schedule', () => {
  it('rotates nothing before rotateAt, then retires each due key and creates a fresh active one', async () => {
    t = await buildTestApp({ demo: true });
    const clock = t.clock as FixedClock;
    const issuers = await t.prisma.issuer.count();
    expect(await rotateDueKeys(t.prisma, t.app.audit, t.keyring, clock.now())).toBe(0);

    const later = new Date(TEST_NOW.getTime() + 366 * 86_400_000);
    const changesBefore = await t.prisma.trustChange.count({ where: { kind: 'key' } });
    expect(await rotateDueKeys(t.prisma, t.app.audit, t.keyring, later)).toBe(issuers);
    const keys = await t.prisma.issuerKey.findMany({
      where: { issuerId: t.demo!.issuers.coop },
      orderBy: { validFrom: 'asc' },
    });
    expect(keys.map((k) => k.status)).toEqual(['retired', 'active']);
    expect(keys[0]!.validTo).toEqual(later);
    expect(await t.prisma.trustChange.count({ where: { kind: 'key' } })).toBe(changesBefore + issuers);
    // the next run finds nothing due
    expect(await rotateDueKeys(t.prisma, t.app.audit, t.keyring, later)).toBe(0);
  });

  it('signs new certificates with the new key after a producer rotates', async () => {
    t = await buildTestApp({ demo: true });
    const producer = await t.login(t.demo!.users.producer, t.demo!.password);
    const rotate = await t.inject(
      { method: 'POST', url: `/api/v1/issuers/${t.demo!.issuers.coop}/keys` },
      producer,
    );
    expect(rotate.statusCode).toBe(201);
    (t.clock as FixedClock).advance(2000);
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/certificates',
        payload: {
          issuerId: t.demo!.issuers.coop,
          productCode: 1001,
          quantity: 5,
          unit: 'kg',
          originRegion: '430182',
          basis: 'self_tested',
        },
      },
      producer,
    );
    expect(res.statusCode).toBe(201);
    expect(res.json().certificate.keyId).toBe(rotate.json().keyId);
  });
});
