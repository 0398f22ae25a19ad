import { afterEach, describe, expect, it } from 'vitest';
import type { FixedClock } from '../../src/clock/clock.ts';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

async function marketAdmin(): Promise<SessionHeaders> {
  t = await buildTestApp({ demo: true });
  return t.login(t.demo!.users.market_admin, t.demo!.password);
}

const makeCode = (admin: SessionHeaders, body: Record<string, unknown> = {}) =>
  t.inject(
    {
      method: 'POST',
      url: '/api/v1/devices/enrollment-codes',
      payload: { gateId: t.demo!.gates.wholesaleEast, name: '东门 2 号机', ...body },
    },
    admin,
  );
const enroll = (code: string) =>
  t.inject({ method: 'POST', url: '/api/v1/devices/enroll', payload: { code } });

describe('enrolling a gate agent with a one-time code', () => {
  it('trades a code for a device token that the gate routes accept', async () => {
    const admin = await marketAdmin();
    const made = await makeCode(admin);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().code).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/);
    expect(made.json().status).toBe('pending');
    expect(made.json().qrSvg).toMatch(/^<svg[^>]*>.*<path/s);

    // typed in lower case without the dash, as a person at a gate PC might
    const enrolled = await enroll(made.json().code.replace('-', '').toLowerCase());
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const { token, deviceId, gateId, rootPublicKey } = enrolled.json();
    expect(gateId).toBe(t.demo!.gates.wholesaleEast);
    expect(rootPublicKey).toBe(t.keyring.rootPublicKey);
    const trust = await t.inject({
      method: 'GET',
      url: '/api/v1/trust',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(trust.statusCode).toBe(200);

    const listed = await t.inject({ method: 'GET', url: '/api/v1/devices/enrollment-codes' }, admin);
    expect(listed.json()[0]).toMatchObject({ status: 'used', deviceId });
  });

  it('works once: the second use is 409 ENROLLMENT_CODE_USED', async () => {
    const admin = await marketAdmin();
    const { code } = (await makeCode(admin)).json();
    expect((await enroll(code)).statusCode).toBe(201);
    const again = await enroll(code);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ENROLLMENT_CODE_USED');
  });

  it('expires: past its minutes it is 410 ENROLLMENT_CODE_EXPIRED', async () => {
    const admin = await marketAdmin();
    const { code } = (await makeCode(admin, { validMinutes: 5 })).json();
    (t.clock as FixedClock).advance(5 * 60_000);
    const late = await enroll(code);
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('ENROLLMENT_CODE_EXPIRED');
  });

  it('a revoked code, or one never made, is 400 ENROLLMENT_CODE_INVALID', async () => {
    const admin = await marketAdmin();
    const made = (await makeCode(admin)).json();
    const revoked = await t.inject(
      { method: 'POST', url: `/api/v1/devices/enrollment-codes/${made.id}/revoke` },
      admin,
    );
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().status).toBe('revoked');
    expect((await enroll(made.code)).json().error.code).toBe('ENROLLMENT_CODE_INVALID');
    expect((await enroll('00000-00000')).json().error.code).toBe('ENROLLMENT_CODE_INVALID');
    expect((await enroll('not a code')).statusCode).toBe(400);
  });

  it('the device it enrolled is revoked like any other, and its token stops working', async () => {
    const admin = await marketAdmin();
    const { code } = (await makeCode(admin)).json();
    const { token, deviceId } = (await enroll(code)).json();
    const revoked = await t.inject({ method: 'POST', url: `/api/v1/devices/${deviceId}/revoke` }, admin);
    expect(revoked.statusCode).toBe(200);
    const trust = await t.inject({
      method: 'GET',
      url: '/api/v1/trust',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(trust.statusCode).toBe(401);
    expect(trust.json().error.code).toBe('DEVICE_REVOKED');
  });

  it('another market’s administrator cannot make a code for this gate', async () => {
    t = await buildTestApp({ demo: true });
    const other = await t.login(t.demo!.users.otherMarketAdmin, t.demo!.password);
    expect((await makeCode(other)).statusCode).toBe(404);
  });
});
