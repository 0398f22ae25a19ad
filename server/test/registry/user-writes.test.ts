import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const newStaff = (marketId: number) => ({
  username: 'xinmen_gate',
  displayName: '新门岗',
  password: 'first-password-1',
  role: 'gate_staff',
  marketId,
});

async function auditData(action: string): Promise<Record<string, unknown>> {
  const row = await t.prisma.auditLog.findFirstOrThrow({
    where: { entity: 'user', action },
    orderBy: { seq: 'desc' },
  });
  return JSON.parse(row.data);
}

describe('user writes', () => {
  it('records a new user in the audit log without the password or its hash', async () => {
    t = await buildTestApp({ demo: true });
    const manager = await t.login(t.demo!.users.market_admin, t.demo!.password);
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/users', payload: newStaff(t.demo!.markets.wholesale) },
      manager,
    );
    expect(res.statusCode).toBe(201);
    const data = await auditData('create');
    expect(data).toMatchObject({ username: 'xinmen_gate', role: 'gate_staff' });
    expect(Object.keys(data)).not.toContain('password');
    expect(Object.keys(data)).not.toContain('passwordHash');
  });

  it('ends the sessions of a user whose password changes, and records only that it changed', async () => {
    t = await buildTestApp({ demo: true });
    const manager = await t.login(t.demo!.users.market_admin, t.demo!.password);
    const created = await t.inject(
      { method: 'POST', url: '/api/v1/users', payload: newStaff(t.demo!.markets.wholesale) },
      manager,
    );
    const staff = await t.login('xinmen_gate', 'first-password-1');
    expect((await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, staff)).statusCode).toBe(200);

    const changed = await t.inject(
      {
        method: 'PATCH',
        url: `/api/v1/users/${created.json().id}`,
        payload: { password: 'second-password-2' },
      },
      manager,
    );
    expect(changed.statusCode).toBe(200);
    expect(await auditData('update')).toEqual({ passwordChanged: true });
    expect((await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, staff)).statusCode).toBe(401);
    await expect(t.login('xinmen_gate', 'second-password-2')).resolves.toHaveProperty('cookie');
  });

  it('keeps sessions when only the display name changes', async () => {
    t = await buildTestApp({ demo: true });
    const manager = await t.login(t.demo!.users.market_admin, t.demo!.password);
    const created = await t.inject(
      { method: 'POST', url: '/api/v1/users', payload: newStaff(t.demo!.markets.wholesale) },
      manager,
    );
    const staff = await t.login('xinmen_gate', 'first-password-1');
    await t.inject(
      { method: 'PATCH', url: `/api/v1/users/${created.json().id}`, payload: { displayName: '东门岗' } },
      manager,
    );
    expect(await auditData('update')).toEqual({ displayName: '东门岗', passwordChanged: false });
    expect((await t.inject({ method: 'GET', url: '/api/v1/auth/me' }, staff)).statusCode).toBe(200);
  });
});
