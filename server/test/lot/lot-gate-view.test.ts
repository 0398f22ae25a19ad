import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, type TestApp, testDbKind } from '../helper.ts';
import { tinyPngBase64 } from '../rapid-test/rapid-test-fixture.ts';

/**
 * What the gate screen reads of a lot: the supplier's address and contact taken at registration (the 台账 asks for
 * them), and whether a positive rapid test holds its goods (快检阳性·暂停销售). SQLite and PostgreSQL.
 */
describe(`a lot as the gate sees it (${testDbKind})`, () => {
  let t: TestApp;
  let staff: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    staff = await t.login('mawangdui_gate', t.demo!.password);
  }, 60_000);
  afterAll(async () => t?.close());

  const register = (extra: Record<string, unknown>) =>
    t.inject(
      {
        method: 'POST',
        url: '/api/v1/lots',
        payload: {
          marketId: t.demo!.markets.wholesale,
          gateId: t.demo!.gates.wholesaleEast,
          plate: '湘A·20001',
          supplier: '宁乡绿源',
          declaration: { productName: '大白菜', category: 'vegetable', quantity: 100, unit: 'kg' },
          ...extra,
        },
      },
      staff,
    );
  const lotView = async (id: string) =>
    (await t.inject({ method: 'GET', url: `/api/v1/lots/${id}` }, staff)).json();

  it("keeps the supplier's address and contact given at the gate, and leaves them blank when not", async () => {
    const res = await register({ supplierAddress: '长沙市宁乡市花明楼镇', supplierContact: '0731-88880000' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().lot).toMatchObject({
      supplierAddress: '长沙市宁乡市花明楼镇',
      supplierContact: '0731-88880000',
    });
    const stored = await t.prisma.lot.findUniqueOrThrow({ where: { id: res.json().lot.id } });
    expect([stored.supplierAddress, stored.supplierContact]).toEqual([
      '长沙市宁乡市花明楼镇',
      '0731-88880000',
    ]);

    const bare = await register({});
    expect(bare.json().lot).toMatchObject({ supplierAddress: '', supplierContact: '' });
    const tooLong = await register({ supplierContact: '1'.repeat(41) });
    expect([tooLong.statusCode, tooLong.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('says a lot is held once a positive rapid test stops its sale, in the list and in its detail', async () => {
    const lotId = (await register({})).json().lot.id as string;
    expect((await lotView(lotId)).rapidTestHold).toBe(false);
    const admin = await t.login(t.demo!.users.market_admin, t.demo!.password);
    const tested = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/rapid-tests',
        payload: {
          lotId,
          method: 'colloidal_gold',
          analyte: '克百威',
          sampleCount: 3,
          result: 'positive',
          testerName: '李检测',
          photo: tinyPngBase64(),
        },
      },
      admin,
    );
    expect(tested.statusCode, tested.body).toBe(200);
    expect((await lotView(lotId)).rapidTestHold).toBe(true);
    const listed = (await t.inject({ method: 'GET', url: '/api/v1/lots?limit=50' }, staff)).json() as {
      id: string;
      rapidTestHold: boolean;
    }[];
    expect(listed.find((lot) => lot.id === lotId)?.rapidTestHold).toBe(true);
    expect(listed.filter((lot) => lot.rapidTestHold).map((lot) => lot.id)).toEqual([lotId]);
  });
});
