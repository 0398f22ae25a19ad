/**
 * The demo server's certificate codes, for the demo script. Codes are signed with keys the demo server made
 * at its first start, so they cannot be written into the script: they are issued as the documented demo
 * cooperative (docs/demo.md) when the script starts. Demo only.
 */
const demoProducer = { username: 'lvyuan_coop', password: 'liangzheng-demo' };

export type DemoCodes =
  | { ok: true; codes: string[] }
  | { ok: false; code: 'DEMO_LOGIN_FAILED' | 'DEMO_CODES_UNAVAILABLE'; detail: string };

export async function demoCodes(serverUrl: string, count: number): Promise<DemoCodes> {
  const login = await fetch(new URL('/api/v1/auth/login', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demoProducer),
  }).catch((error: unknown) => error as Error);
  if (login instanceof Error || !login.ok) {
    return {
      ok: false,
      code: 'DEMO_LOGIN_FAILED',
      detail: login instanceof Error ? String(login) : `HTTP ${login.status}`,
    };
  }
  const body = (await login.json()) as { user: { scope: { issuerId?: number } }; csrfToken: string };
  const headers = {
    'content-type': 'application/json',
    cookie: login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; '),
    'x-csrf-token': body.csrfToken,
  };
  // Issued fresh, in the order the demo script declares its lots (大白菜, 辣椒, 上海青, 香菇), so each code
  // matches its lot and has quantity left whatever earlier demo runs used.
  const codes: string[] = [];
  const products = [1001, 1002, 1003, 1004];
  for (let i = 0; i < count; i++) {
    const issued = await fetch(new URL('/api/v1/certificates', serverUrl), {
      method: 'POST',
      headers,
      body: JSON.stringify({
        issuerId: body.user.scope.issuerId,
        productCode: products[i % products.length],
        quantity: 500,
        unit: 'kg',
        originRegion: '430121',
        basis: 'self_tested',
      }),
    });
    if (!issued.ok) return { ok: false, code: 'DEMO_CODES_UNAVAILABLE', detail: `HTTP ${issued.status}` };
    codes.push(((await issued.json()) as { certificate: { code: string } }).certificate.code);
  }
  return { ok: true, codes };
}
