import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { DemoLogins } from './demo.ts';
import { DEMO_PASSWORD } from './demo-data.ts';

/**
 * Issue 8's day in the demo world, played through the real routes (as the gate device, the producer, the vendor and
 * the regulator would), so what a newcomer sees is what the system does: a truck with three certificates that
 * is pending twice and then accepted as one lot; the goods in stall A-01's inventory; a repack into two and a resale
 * to a buyer; and a recall of another delivery, which revokes its repack and holds the goods. Returns what it made.
 */
export async function seedCustodyStory(app: FastifyInstance, demo: DemoLogins): Promise<CustodyStory> {
  const act = actor(app);
  const device = { authorization: `Bearer ${demo.deviceToken}` };
  const producer = await act.login('lvyuan_coop');
  const vendor = await act.login('vendor_a01');
  const regulator = await act.login('changsha_regulator');
  const issue = async (quantity: number) =>
    (
      await act.ok<{ certificate: { id: string; code: string } }>(201, producer, {
        method: 'POST',
        url: '/api/v1/certificates',
        payload: {
          issuerId: demo.issuers.coop,
          productCode: 1001,
          quantity,
          unit: 'kg',
          originRegion: '430182',
          originText: '宁乡市',
          basis: 'quality_control',
        },
      })
    ).certificate;
  const arrive = async (plate: string, quantity: number, codes: string[]) => {
    const { lot } = await act.ok<{ lot: { id: string } }>(201, device, {
      method: 'POST',
      url: '/api/v1/lots',
      payload: {
        plate,
        supplier: '宁乡市绿源蔬菜种植专业合作社',
        stallId: demo.stalls.a01,
        declaration: {
          productName: '大白菜',
          productCode: 1001,
          category: 'vegetable',
          quantity,
          unit: 'kg',
        },
      },
    });
    const outcomes: string[] = [];
    for (const code of codes) {
      const answer = await act.ok<{ verdict: { outcome: string } }>(200, device, {
        method: 'POST',
        url: '/api/v1/scans',
        payload: {
          scanId: randomUUID(),
          lotId: lot.id,
          gateId: demo.gates.wholesaleEast,
          provenance: {
            source: 'hid',
            rawText: code,
            keystrokeTimings: [],
            deviceTime: app.clock.now().toISOString(),
            decoder: 'demo',
          },
        },
      });
      outcomes.push(answer.verdict.outcome);
    }
    return { lotId: lot.id, outcomes };
  };

  const truck = [await issue(100), await issue(100), await issue(100)];
  const arrival = await arrive(
    '湘A·58Q17',
    300,
    truck.map((c) => c.code),
  );
  const inventory = await act.ok<{ id: string; certificateId: string }[]>(200, vendor, {
    method: 'GET',
    url: `/api/v1/stalls/${demo.stalls.a01}/inventory`,
  });
  const itemOf = (certificateId: string) =>
    inventory.find((item) => item.certificateId === certificateId)!.id;
  const transform = (body: object) =>
    act.ok<{ outputs: { id: string }[] }>(201, vendor, {
      method: 'POST',
      url: `/api/v1/stalls/${demo.stalls.a01}/transformations`,
      payload: body,
    });
  const repack = await transform({
    kind: 'repack',
    inputs: [{ itemId: itemOf(truck[0]!.id), quantity: 60 }],
    outputs: [
      { productName: '精品大白菜（分装）', quantity: 30 },
      { productName: '精品大白菜（分装）', quantity: 29 },
    ],
  });
  const resale = await transform({
    kind: 'resale',
    inputs: [{ itemId: itemOf(truck[1]!.id), quantity: 50 }],
    outputs: [{ quantity: 50 }],
  });

  // Another delivery, found contaminated after it was repacked: the regulator recalls it.
  const recalled = await issue(80);
  await arrive('湘A·2K9M3', 80, [recalled.code]);
  const stock = await act.ok<{ id: string; certificateId: string }[]>(200, vendor, {
    method: 'GET',
    url: `/api/v1/stalls/${demo.stalls.a01}/inventory`,
  });
  await transform({
    kind: 'repack',
    inputs: [{ itemId: stock.find((item) => item.certificateId === recalled.id)!.id, quantity: 40 }],
    outputs: [{ quantity: 40, keep: true }],
  });
  const recall = await act.ok<{ revoked: string[] }>(201, regulator, {
    method: 'POST',
    url: '/api/v1/recalls',
    payload: { certificateId: recalled.id, reason: '抽检发现禁用农药残留（演示）' },
  });
  return {
    truckLotId: arrival.lotId,
    truckOutcomes: arrival.outcomes,
    repackIds: repack.outputs.map((o) => o.id),
    resaleId: resale.outputs[0]!.id,
    recalledIds: recall.revoked,
  };
}

export interface CustodyStory {
  truckLotId: string;
  /** pending, pending, accept */
  truckOutcomes: string[];
  repackIds: string[];
  resaleId: string;
  recalledIds: string[];
}

/** The demo's people acting through the app's own routes, in process. */
function actor(app: FastifyInstance) {
  return {
    async login(username: string): Promise<Record<string, string>> {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username, password: DEMO_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`demo login ${username}: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
      return { cookie, 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken };
    },
    async ok<T>(status: number, headers: Record<string, string>, request: InjectOptions): Promise<T> {
      const res = await app.inject({ ...request, headers: { ...request.headers, ...headers } });
      if (res.statusCode !== status) {
        throw new Error(`demo ${request.method} ${request.url}: ${res.statusCode} ${res.body}`);
      }
      return res.json() as T;
    },
  };
}
