import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toProblem } from '../../src/http/error-handler.ts';
import { buildTestApp, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, openLot, scanBody } from '../scan/scan-fixture.ts';

/** A JSON schema node as the OpenAPI document carries it; only what the walk below reads. */
interface SchemaNode {
  type?: string | string[];
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  allOf?: SchemaNode[];
  [key: string]: unknown;
}

/** Every string a request can carry (body, path, query), with where it sits, from the served OpenAPI document. */
function requestStrings(doc: {
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; schema: SchemaNode }[]; requestBody?: unknown }>
  >;
}): { where: string; node: SchemaNode }[] {
  const found: { where: string; node: SchemaNode }[] = [];
  const walk = (node: unknown, where: string) => {
    if (!node || typeof node !== 'object') return;
    const schema = node as SchemaNode;
    const types = [schema.type].flat();
    if (types.includes('string') && schema.enum === undefined && schema.const === undefined) {
      found.push({ where, node: schema });
    }
    for (const [key, child] of Object.entries(schema)) {
      if (key === 'allOf') continue;
      if (!Array.isArray(child)) walk(child, `${where}.${key}`);
      else for (const [i, item] of child.entries()) walk(item, `${where}.${key}[${i}]`);
    }
  };
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      for (const parameter of operation.parameters ?? [])
        walk(parameter.schema, `${method} ${path} ${parameter.name}`);
      walk(operation.requestBody, `${method} ${path} body`);
    }
  }
  return found;
}

const refuses = (node: SchemaNode, text: string) =>
  [node.pattern, ...(node.allOf ?? []).map((part) => part.pattern)]
    .filter((pattern): pattern is string => pattern !== undefined)
    .some((pattern) => !new RegExp(pattern, 'u').test(text));

/** Raw reads keep the reader's separators (GS1's GS, ISO/IEC 15434's RS and EOT): they refuse NUL only. */
const rawReads = [
  /provenance\.properties\.rawText$/,
  /\.text$/,
  /^get \/api\/v1\/verify code$/,
  /\/source code$/,
  /\/receipts body\.content\.application\/json\.schema\.properties\.rawText$/,
  /unverifiedSources\.items\.oneOf\[\d+\]\.properties\.code$/,
];

describe('text fields refuse control characters, the same on both databases (security finding 4)', () => {
  let t: TestApp;
  let token: string;
  let gateId: number;
  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    token = t.demo!.deviceToken;
    gateId = t.demo!.gates.wholesaleEast;
  }, 60_000);
  afterAll(async () => t?.close());

  it('every string a request can carry refuses NUL, and all but raw reads refuse the other controls', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const strings = requestStrings(doc);
    expect(strings.length).toBeGreaterThan(50);
    expect(strings.filter(({ node }) => !refuses(node, 'a\u0000b')).map(({ where }) => where)).toEqual([]);
    const strict = strings.filter(({ where }) => !rawReads.some((raw) => raw.test(where)));
    expect(strict.filter(({ node }) => !refuses(node, 'a\u0001b')).map(({ where }) => where)).toEqual([]);
  });

  it('a NUL in a scan’s rawText is 400 VALIDATION_FAILED, not a 500', async () => {
    const lotId = await openLot(t, token);
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/scans', payload: scanBody(lotId, gateId, 'LZ1\u0000X') },
      bearer(token),
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.issues[0].path).toBe('body.provenance.rawText');
  });

  it('keeps a GS1 read’s GS separators in rawText as scanned', async () => {
    const lotId = await openLot(t, token);
    const gs1 = ']Q3010690123456789017\u001d10ABC123\u001d17270101';
    const scan = scanBody(lotId, gateId, gs1);
    const res = await t.inject({ method: 'POST', url: '/api/v1/scans', payload: scan }, bearer(token));
    expect(res.statusCode, res.body).toBe(200);
    expect((await t.prisma.scan.findUniqueOrThrow({ where: { id: scan.scanId } })).rawText).toBe(gs1);
  });

  it('GET /api/v1/lots/%00 is a clean 400', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const res = await t.inject({ method: 'GET', url: '/api/v1/lots/%00' }, admin);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a control character in names, numbers and credentials with 400', async () => {
    const lot = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/lots',
        payload: {
          plate: '湘A\u000712345',
          declaration: { productName: '大白菜', category: 'vegetable', quantity: 1, unit: 'kg' },
        },
      },
      bearer(token),
    );
    const login = await t.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'admin\u0000', password: TEST_ADMIN_PASSWORD },
    });
    const verify = await t.inject({ method: 'GET', url: '/api/v1/verify?code=LZ%00' });
    for (const res of [lot, login, verify]) {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('keeps line breaks in a note', async () => {
    const admin = await t.login('admin', TEST_ADMIN_PASSWORD);
    const lotId = await openLot(t, token);
    const review = (note: string) =>
      t.inject(
        { method: 'POST', url: `/api/v1/lots/${lotId}/review`, payload: { decision: 'clear', note } },
        admin,
      );
    expect((await review('第一行\u0000')).json().error?.code).toBe('VALIDATION_FAILED');
    expect((await review('第一行\n第二行')).json().error?.code).not.toBe('VALIDATION_FAILED');
  });

  it('in a batch, a scan with a NUL is refused for good, alone, and the lot’s next scan goes through', async () => {
    const cert = await issueTestCertificate(t, { issuerId: t.demo!.issuers.coop });
    const lotId = await openLot(t, token);
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/scans/batch',
        payload: { scans: [scanBody(lotId, gateId, 'LZ1\u0000X'), scanBody(lotId, gateId, cert.text)] },
      },
      bearer(token),
    );
    expect(res.statusCode, res.body).toBe(200);
    const [bad, good] = res.json().results;
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(good).toMatchObject({ ok: true, answer: { verdict: { outcome: 'accept' } } });
  });

  it('a value the database cannot store is a permanent VALIDATION_FAILED, never "send it again"', async () => {
    // PostgreSQL refuses NUL in text (22021); SQLite stores it. Either way the answer is never a retryable 5xx.
    const outcome = await t.prisma.lot.findUnique({ where: { id: 'lot\u0000' } }).then(
      (lot) => ({ stored: true, lot }),
      (err: unknown) => ({ stored: false, problem: toProblem(err) }),
    );
    if (outcome.stored) expect(outcome).toEqual({ stored: true, lot: null });
    else expect(outcome).toMatchObject({ problem: { code: 'VALIDATION_FAILED', status: 400 } });
  });
});
