import { defaultCatalogue } from '@liangzheng/domain';
import { afterEach, describe, expect, it } from 'vitest';
import { demoCreditCode } from '../../src/demo/demo-data.ts';
import { ensureDefaultCatalogue } from '../../src/product/product-catalogue.ts';
import { buildTestApp, type SessionHeaders, TEST_ADMIN_PASSWORD, TEST_NOW, type TestApp } from '../helper.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

async function freshInstall(): Promise<SessionHeaders> {
  t = await buildTestApp();
  await ensureDefaultCatalogue(t.prisma, TEST_NOW);
  return t.login('admin', TEST_ADMIN_PASSWORD);
}

/** What an administrator of a fresh install files before a producer can sign: 宁乡 and one producer in it. */
async function fileProducer(admin: SessionHeaders): Promise<number> {
  for (const region of [
    { code: '430000', name: '湖南省', level: 'province', parentCode: null },
    { code: '430100', name: '长沙市', level: 'city', parentCode: '430000' },
    { code: '430182', name: '宁乡市', level: 'county', parentCode: '430100' },
  ]) {
    const res = await t.inject({ method: 'POST', url: '/api/v1/regions', payload: region }, admin);
    expect(res.statusCode, res.body).toBe(201);
  }
  const issuer = await t.inject(
    {
      method: 'POST',
      url: '/api/v1/issuers',
      payload: {
        kind: 'producer',
        name: '宁乡绿源合作社',
        subjectId: demoCreditCode('93', '430182', 'MA4T00001'),
        contact: '0731-8888 0000',
        regionCode: '430182',
      },
    },
    admin,
  );
  expect(issuer.statusCode, issuer.body).toBe(201);
  return issuer.json().id;
}

const cabbage = { productCode: 1001, quantity: 10, unit: 'kg', originRegion: '430182', basis: 'self_tested' };

describe('the product catalogue of an install without demo data', () => {
  it('a fresh install holds the default catalogue, so its first producer can issue a certificate', async () => {
    const admin = await freshInstall();
    const issuerId = await fileProducer(admin);
    const issued = await t.inject(
      { method: 'POST', url: '/api/v1/certificates', payload: { issuerId, ...cabbage } },
      admin,
    );
    expect(issued.statusCode, issued.body).toBe(201);
    expect(issued.json().certificate.productName).toBe('大白菜');
  });

  it('is written once: a second start leaves an edited catalogue alone', async () => {
    t = await buildTestApp();
    expect(await ensureDefaultCatalogue(t.prisma, TEST_NOW)).toBe(defaultCatalogue.length);
    await t.prisma.product.update({ where: { code: 1001 }, data: { name: '黄芽白' } });
    expect(await ensureDefaultCatalogue(t.prisma, TEST_NOW)).toBe(0);
    expect((await t.prisma.product.findUniqueOrThrow({ where: { code: 1001 } })).name).toBe('黄芽白');
  });

  it('lists each product with its unit and the second documents its category needs', async () => {
    const admin = await freshInstall();
    const res = await t.inject({ method: 'GET', url: '/api/v1/products' }, admin);
    expect(res.statusCode).toBe(200);
    const pig = res.json().find((p: { code: number }) => p.code === 4001);
    expect(pig).toEqual({
      code: 4001,
      name: '生猪',
      category: 'livestock_poultry',
      unit: 'head',
      active: true,
      requiredDocuments: ['animal_quarantine'],
    });
  });

  it('adds a product, refuses its code twice (409) and a category it does not know (400)', async () => {
    const admin = await freshInstall();
    const tofu = { code: 1101, name: '莴笋', category: 'vegetable', unit: 'kg' };
    const created = await t.inject({ method: 'POST', url: '/api/v1/products', payload: tofu }, admin);
    expect(created.statusCode, created.body).toBe(201);
    const again = await t.inject({ method: 'POST', url: '/api/v1/products', payload: tofu }, admin);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_EXISTS');
    const unknown = await t.inject(
      { method: 'POST', url: '/api/v1/products', payload: { ...tofu, code: 1102, category: 'grain' } },
      admin,
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('a retired product takes no new certificates (409 INACTIVE) and agents see the change', async () => {
    const admin = await freshInstall();
    const issuerId = await fileProducer(admin);
    const before = (await t.prisma.trustChange.aggregate({ _max: { version: true } }))._max.version ?? 0;
    const retired = await t.inject({ method: 'POST', url: '/api/v1/products/1001/deactivate' }, admin);
    expect(retired.statusCode, retired.body).toBe(200);
    expect(retired.json().active).toBe(false);
    expect(
      await t.prisma.trustChange.count({ where: { kind: 'product', ref: '1001', version: { gt: before } } }),
    ).toBe(1);
    const issued = await t.inject(
      { method: 'POST', url: '/api/v1/certificates', payload: { issuerId, ...cabbage } },
      admin,
    );
    expect(issued.statusCode).toBe(409);
    expect(issued.json().error.code).toBe('INACTIVE');
  });

  it('imports a CSV in Chinese words, creating new and updating known products', async () => {
    const admin = await freshInstall();
    const csv = '编码,名称,类别,单位\n1001,黄芽白,蔬菜,公斤\n7001,莲藕,蔬菜,斤\n';
    const res = await t.inject({ method: 'POST', url: '/api/v1/products/import', payload: { csv } }, admin);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ created: 1, updated: 1 });
    const lotus = await t.inject({ method: 'GET', url: '/api/v1/products/7001' }, admin);
    expect(lotus.json()).toMatchObject({ name: '莲藕', category: 'vegetable', unit: 'jin' });
    expect((await t.prisma.product.findUniqueOrThrow({ where: { code: 1001 } })).name).toBe('黄芽白');
  });

  it('imports nothing from a CSV with a bad line, and names the line', async () => {
    const admin = await freshInstall();
    const csv = 'code,name,category\n7001,莲藕,vegetable\n7002,糙米,grain\n';
    const res = await t.inject({ method: 'POST', url: '/api/v1/products/import', payload: { csv } }, admin);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.issues).toEqual([
      {
        path: 'line 3',
        code: 'CSV_FIELD_INVALID',
        message: 'These fields are wrong: category',
        detail: { fields: ['category'] },
      },
    ]);
    expect(await t.prisma.product.findUnique({ where: { code: 7001 } })).toBeNull();
  });

  it('names each bad CSV line by its own code: a repeated product code, and a header without its columns', async () => {
    const admin = await freshInstall();
    const repeated = 'code,name,category\n7001,莲藕,vegetable\n7001,藕带,vegetable\n';
    const twice = await t.inject(
      { method: 'POST', url: '/api/v1/products/import', payload: { csv: repeated } },
      admin,
    );
    expect(twice.statusCode).toBe(400);
    expect(twice.json().error.issues).toEqual([
      {
        path: 'line 3',
        code: 'CSV_CODE_REPEATED',
        message: 'Code 7001 appears twice in the file',
        detail: { productCode: 7001 },
      },
    ]);
    const headless = await t.inject(
      { method: 'POST', url: '/api/v1/products/import', payload: { csv: 'name\n莲藕\n' } },
      admin,
    );
    expect(headless.statusCode).toBe(400);
    expect(headless.json().error.issues).toEqual([
      {
        path: 'line 1',
        code: 'CSV_HEADER_INCOMPLETE',
        message: 'The header lacks: code, category',
        detail: { fields: ['code', 'category'] },
      },
    ]);
    expect(await t.prisma.product.findUnique({ where: { code: 7001 } })).toBeNull();
  });

  it('refuses an import without CSV text by its field, not as a CSV line', async () => {
    const admin = await freshInstall();
    const res = await t.inject(
      { method: 'POST', url: '/api/v1/products/import', payload: { csv: '' } },
      admin,
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.issues).toEqual([expect.objectContaining({ path: 'body.csv' })]);
    expect(res.json().error.issues[0].code).toBeUndefined();
  });
});
