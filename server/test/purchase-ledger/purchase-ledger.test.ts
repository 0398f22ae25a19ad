import { randomUUID } from 'node:crypto';
import { ledgerColumns, maskSubjectId } from '@liangzheng/domain';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';

let t: TestApp;
const sessions = new Map<string, SessionHeaders>();
const as = async (username: string) => {
  if (!sessions.has(username)) sessions.set(username, await t.login(username, t.demo!.password));
  return sessions.get(username)!;
};

/** 00:30 on 15 March in Beijing is 16:30 UTC on the 14th: the ledger dates it the 15th. */
const justAfterMidnight = new Date('2026-03-14T16:30:00.000Z');
const justBeforeMidnight = new Date('2026-03-14T15:59:00.000Z');
let lotId: string;

async function lotAt(openedAt: Date, marketId: number, fields: Record<string, unknown> = {}) {
  const id = randomUUID();
  await t.prisma.lot.create({
    data: {
      id,
      marketId,
      productName: '辣椒',
      category: 'vegetable',
      quantity: 120.5,
      unit: 'kg',
      status: 'judged',
      outcome: 'accept',
      openedAt,
      ...fields,
    },
  });
  return id;
}

beforeAll(async () => {
  t = await buildTestApp({ demo: true });
  const demo = t.demo!;
  lotId = await lotAt(justAfterMidnight, demo.markets.wholesale, {
    stallId: demo.stalls.a01,
    supplier: '宁乡市绿源蔬菜种植专业合作社',
  });
  const certificate = await t.prisma.certificate.findUniqueOrThrow({
    where: { id: demo.certificateIds[0]! },
  });
  await t.prisma.lotDocument.createMany({
    data: [
      { id: randomUUID(), lotId, type: 'code', certificateId: certificate.id, createdAt: justAfterMidnight },
      {
        id: randomUUID(),
        lotId,
        type: 'second_document',
        secondKind: 'test_report',
        fields: JSON.stringify({ number: 'JC-2026-031' }),
        createdAt: justAfterMidnight,
      },
    ],
  });
  await lotAt(justBeforeMidnight, demo.markets.wholesale, { productName: '前一天的白菜' });
  await lotAt(justAfterMidnight, demo.markets.supermarket, { productName: '株洲的鸡蛋' });
});
afterAll(async () => t?.close());

const ledgerUrl = (query: Record<string, string | number>) =>
  `/api/v1/purchase-ledger?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)] as [string, string]))}`;
const day15 = () => ({ marketId: t.demo!.markets.wholesale, from: '2026-03-15', to: '2026-03-15' });

const csvRows = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));

describe('the purchase ledger (台账)', () => {
  it('is dated on the market clock: a lot at 00:30 Beijing time (16:30 UTC the day before) is on the 15th', async () => {
    const res = await t.inject({ method: 'GET', url: ledgerUrl(day15()) }, await as('mawangdui_admin'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['x-ledger-rows']).toBe('1');
    const [header, ...rows] = csvRows(res.body);
    expect(header).toEqual([...ledgerColumns]);
    expect(rows).toHaveLength(1);
    const row = Object.fromEntries(header!.map((name, i) => [name, rows[0]![i]]));
    expect(row).toMatchObject({
      进货日期: '2026-03-15',
      进货时间: '00:30',
      摊位: 'A-01',
      产品名称: '辣椒',
      数量: '120.5',
      单位: 'kg',
      供货者名称: '宁乡市绿源蔬菜种植专业合作社',
      查验结果: '通过',
      批次号: lotId,
    });
    expect(row.查验凭证).toContain(t.demo!.certificateIds[0]!);
    expect(row.查验凭证).toContain('检测报告 JC-2026-031');
    expect(row.产地).not.toBe('');
  });

  it('takes the day before (23:59 Beijing time) into a range that includes it, and nothing of another market', async () => {
    const res = await t.inject(
      { method: 'GET', url: ledgerUrl({ ...day15(), from: '2026-03-14' }) },
      await as('mawangdui_admin'),
    );
    expect(res.body).toContain('前一天的白菜');
    expect(res.body).toContain('2026-03-14,23:59');
    expect(res.body).not.toContain('株洲的鸡蛋');
  });

  it('comes as an XLSX workbook with the same Chinese columns and rows', async () => {
    const res = await t.inject(
      { method: 'GET', url: ledgerUrl({ ...day15(), format: 'xlsx' }) },
      await as('mawangdui_gate'),
    );
    expect(res.statusCode).toBe(200);
    const files = unzipSync(new Uint8Array(res.rawPayload));
    expect(Object.keys(files)).toContain('xl/workbook.xml');
    const sheet = strFromU8(files['xl/worksheets/sheet1.xml']!);
    expect(sheet.match(/<row>/g)).toHaveLength(2);
    for (const column of ledgerColumns) expect(sheet).toContain(`>${column}<`);
    expect(sheet).toContain('>2026-03-15<');
    expect(sheet).toContain('<v>120.5</v>');
  });

  it('refuses a range of more than a year with LEDGER_RANGE_TOO_LONG, and a backwards one', async () => {
    const headers = await as('mawangdui_admin');
    const tooLong = await t.inject(
      { method: 'GET', url: ledgerUrl({ ...day15(), from: '2025-03-14', to: '2026-03-15' }) },
      headers,
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.code).toBe('LEDGER_RANGE_TOO_LONG');
    const aYear = await t.inject(
      { method: 'GET', url: ledgerUrl({ ...day15(), from: '2025-03-15', to: '2026-03-15' }) },
      headers,
    );
    expect(aYear.statusCode).toBe(200);
    const backwards = await t.inject(
      { method: 'GET', url: ledgerUrl({ ...day15(), from: '2026-03-16' }) },
      headers,
    );
    expect(backwards.json().error.code).toBe('LEDGER_RANGE_INVALID');
  });

  it("is the market's and its region's: another market's staff and regulator do not find it", async () => {
    for (const username of ['tianyuan_admin', 'zhuzhou_regulator']) {
      const res = await t.inject({ method: 'GET', url: ledgerUrl(day15()) }, await as(username));
      expect(res.statusCode).toBe(404);
    }
    const regulator = await t.inject(
      { method: 'GET', url: ledgerUrl(day15()) },
      await as('changsha_regulator'),
    );
    expect(regulator.headers['x-ledger-rows']).toBe('1');
  });

  it("gives a vendor their own stall's ledger only", async () => {
    const vendor = await as('vendor_a01');
    const whole = await t.inject({ method: 'GET', url: ledgerUrl(day15()) }, vendor);
    expect(whole.statusCode).toBe(403);
    const own = await t.inject(
      { method: 'GET', url: ledgerUrl({ ...day15(), stallId: t.demo!.stalls.a01 }) },
      vendor,
    );
    expect(own.headers['x-ledger-rows']).toBe('1');
    const elsewhere = await t.inject(
      { method: 'GET', url: ledgerUrl({ ...day15(), stallId: t.demo!.stalls.s01 }) },
      await as('mawangdui_admin'),
    );
    expect(elsewhere.statusCode).toBe(404);
  });
});

describe("completing a lot's supplier", () => {
  it('is written by the market staff and shows in the ledger', async () => {
    const res = await t.inject(
      {
        method: 'PATCH',
        url: `/api/v1/lots/${lotId}/supplier`,
        payload: { supplierAddress: '湖南省长沙市宁乡市历经铺街道', supplierContact: '0731-87654321' },
      },
      await as('mawangdui_gate'),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ supplierContact: '0731-87654321' });
    const ledger = await t.inject({ method: 'GET', url: ledgerUrl(day15()) }, await as('mawangdui_admin'));
    expect(ledger.body).toContain('湖南省长沙市宁乡市历经铺街道,0731-87654321');
  });

  it("is another market's lot to nobody else: 404, and an empty change is 400", async () => {
    const other = await t.inject(
      { method: 'PATCH', url: `/api/v1/lots/${lotId}/supplier`, payload: { supplierContact: '110' } },
      await as('tianyuan_admin'),
    );
    expect(other.statusCode).toBe(404);
    const empty = await t.inject(
      { method: 'PATCH', url: `/api/v1/lots/${lotId}/supplier`, payload: {} },
      await as('mawangdui_gate'),
    );
    expect(empty.statusCode).toBe(400);
  });
});

describe('vendor files (经营者档案)', () => {
  it('show the credit code or ID number whole to the market admin and the vendor, masked to gate staff and regulators', async () => {
    const vendor = await t.prisma.vendor.findFirstOrThrow({
      where: { stalls: { some: { id: t.demo!.stalls.a01 } } },
    });
    const read = async (username: string) =>
      (await t.inject({ method: 'GET', url: `/api/v1/vendors/${vendor.id}` }, await as(username))).json();
    expect((await read('mawangdui_admin')).subjectId).toBe(vendor.subjectId);
    expect((await read('vendor_a01')).subjectId).toBe(vendor.subjectId);
    for (const username of ['mawangdui_gate', 'changsha_regulator']) {
      const file = await read(username);
      expect(file.subjectId).toBe(maskSubjectId(vendor.subjectId));
      expect(file.subjectId).not.toBe(vendor.subjectId);
      expect(file).toMatchObject({ name: vendor.name, contact: vendor.contact, address: vendor.address });
    }
    const listed = await t.inject({ method: 'GET', url: '/api/v1/vendors' }, await as('mawangdui_gate'));
    expect(JSON.stringify(listed.json())).not.toContain(vendor.subjectId);
  });
});
