import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@liangzheng/gate-agent/config/config';
import { type RunningAgent, startAgent } from '@liangzheng/gate-agent/main';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoToken, rootPublicKeyIn } from '../faults/real-server.ts';
import {
  type ConsoleInChromium,
  certificatesOf,
  describeInChromium,
  logInAt,
  sessionHeaders,
  startConsole,
} from './browser.ts';

/**
 * Issue 8's day, end to end (docs/custody.md): a truck with three certificates is one lot at 马王堆's gate; the goods
 * land in stall A-01's inventory; the vendor repacks them into two and resells some to a buyer, in Chromium; the
 * buyer's 样式二 passes at 天元 while the producer's original code is re-use there; voiding a repack returns its
 * quantity; and a producer recall revokes every descendant, at a live gate agent and on the public page.
 */
describeInChromium('following the goods from a truck to a recall', () => {
  let world: ConsoleInChromium;
  let page: Page;
  let agent: RunningAgent;
  let url: string;
  /** 东门 1 号道口 at 马王堆, the demo device's gate */
  let eastGate: number;
  const cabbage = { productCode: 1001, productName: '大白菜', unit: 'kg' } as const;
  const declared = (quantity: number) => ({ ...cabbage, category: 'vegetable', quantity });
  /** the truck's three certificates, 100 kg each */
  let truckCodes: { id: string; code: string }[] = [];
  let truckLot = '';
  let repacks: { id: string; code: string }[] = [];
  let resale: { id: string; code: string } | undefined;

  const device = { authorization: `Bearer ${demoToken}`, 'content-type': 'application/json' };
  async function api<T>(path: string, init: { method?: string; body?: unknown; as?: string } = {}) {
    const headers = init.as ? await sessionHeaders(url, init.as) : device;
    const response = await fetch(`${url}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { ...headers, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  beforeAll(async () => {
    world = await startConsole();
    url = world.server.url;
    const gates = await api<{ id: number; name: string }[]>('/api/v1/gates', { as: 'mawangdui_admin' });
    eastGate = gates.body.find((g) => g.name.startsWith('东门'))!.id;
    const dataDir = mkdtempSync(join(tmpdir(), 'lz-chain-agent-'));
    const config = parseConfig(
      {
        server: { url, deviceToken: demoToken, rootPublicKeys: [rootPublicKeyIn(world.server.env.DATA_DIR)] },
        gateId: eastGate,
        statusPort: 0,
        sound: { output: 'none' },
        journalPath: 'journal.sqlite',
      },
      join(dataDir, 'gate-agent.json'),
      dataDir,
    );
    if (!config.ok) throw new Error(JSON.stringify(config.error));
    agent = await startAgent(config.config, { log: () => {} });
    page = await world.browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
  }, 120_000);

  afterAll(async () => {
    await agent?.stop();
    await world?.close();
  });

  it('1. accepts a truck with three certificates as one lot at the gate, with no violation', async () => {
    const producer = (await certificatesOf(url, 'lvyuan_coop')).find((c) => c.kind === 'producer')!;
    const issuerId = producer.issuerId;
    truckCodes = [];
    for (let i = 0; i < 3; i++) {
      const issued = await api<{ certificate: { id: string; code: string } }>('/api/v1/certificates', {
        as: 'lvyuan_coop',
        body: { ...cabbage, issuerId, quantity: 100, originRegion: '430182', basis: 'quality_control' },
      });
      expect(issued.status, JSON.stringify(issued.body)).toBe(201);
      truckCodes.push(issued.body.certificate);
    }
    const stalls = await api<{ id: number; number: string }[]>('/api/v1/stalls', { as: 'mawangdui_admin' });
    const a01 = stalls.body.find((s) => s.number === 'A-01')!;
    const lot = await api<{ lot: { id: string } }>('/api/v1/lots', {
      body: { plate: '湘A·30000', stallId: a01.id, declaration: declared(300) },
    });
    truckLot = lot.body.lot.id;
    const outcomes: string[] = [];
    for (const { code } of truckCodes) {
      const scanned = await api<{ verdict: { outcome: string }; violationId: string | null }>(
        '/api/v1/scans',
        {
          body: {
            scanId: randomUUID(),
            lotId: truckLot,
            gateId: eastGate,
            provenance: {
              source: 'hid',
              rawText: code,
              keystrokeTimings: [],
              deviceTime: new Date().toISOString(),
              decoder: 'e2e',
            },
          },
        },
      );
      expect(scanned.body.violationId).toBeNull();
      outcomes.push(scanned.body.verdict.outcome);
    }
    expect(outcomes).toEqual(['pending', 'pending', 'accept']);
    const violations = await api<{ lotId: string }[]>('/api/v1/violations?limit=500', {
      as: 'changsha_regulator',
    });
    expect(violations.body.filter((v) => v.lotId === truckLot)).toEqual([]);
  }, 60_000);

  const rowOf = (certificateId: string) =>
    page.locator('table.inventory tr', { hasText: certificateId.slice(0, 8) }).first();

  it('2. shows the goods in stall A-01’s inventory, one item per certificate', async () => {
    await logInAt(page, world.consoleUrl, '/stall', 'vendor_a01');
    for (const { id } of truckCodes) {
      await rowOf(id).waitFor();
      expect(await rowOf(id).textContent()).toContain('100 / 100 千克');
    }
  }, 60_000);

  it('3. repacks 60 kg of the first certificate into two outputs in the browser', async () => {
    await rowOf(truckCodes[0]!.id).getByRole('button', { name: '选用' }).click();
    await page.getByLabel('取用数量').fill('60');
    await page.getByRole('button', { name: '再开一份' }).click();
    const quantities = page.getByLabel('数量', { exact: true });
    await quantities.nth(0).fill('30');
    await quantities.nth(1).fill('30');
    await expect
      .poll(() => page.locator('.conservation').textContent())
      .toMatch(/取用 60 · 开出 60 · 损耗 0 千克/);
    await page.getByRole('button', { name: '开具', exact: true }).click();
    await expect.poll(() => page.locator('.issued').textContent()).toContain('已开具 2 份合格证');
    const codes = await page.locator('.issued .code').allTextContents();
    const listed = await certificatesOf(url, 'vendor_a01');
    repacks = codes
      .map((code) => listed.find((c) => c.code === code)!)
      .map((c) => ({ id: c.id, code: c.code }));
    expect(repacks).toHaveLength(2);
    await expect.poll(() => rowOf(truckCodes[0]!.id).textContent()).toContain('40 / 100 千克');
  }, 60_000);

  it('4. resells 50 kg of the second certificate to a buyer as one 样式二 certificate', async () => {
    await page.reload();
    await rowOf(truckCodes[1]!.id).getByRole('button', { name: '选用' }).click();
    await page.getByLabel('原样转售给买方（样式二）').check();
    await page.getByLabel('取用数量').fill('50');
    await page.getByLabel('数量', { exact: true }).nth(0).fill('50');
    await page.getByRole('button', { name: '开具', exact: true }).click();
    await expect.poll(() => page.locator('.issued').textContent()).toContain('已开具 1 份合格证');
    const [code] = await page.locator('.issued .code').allTextContents();
    const listed = await certificatesOf(url, 'vendor_a01');
    const issued = listed.find((c) => c.code === code)!;
    // A buyer-template (样式二) certificate naming the stall's source, and recorded as a resale.
    expect(issued.kind).not.toBe('producer');
    expect(issued.parents).toEqual([{ certificateId: truckCodes[1]!.id, quantity: 50 }]);
    expect(await page.locator('table.history').textContent()).toContain('转售');
    resale = { id: issued.id, code: issued.code };
    await expect.poll(() => rowOf(truckCodes[1]!.id).textContent()).toContain('50 / 100 千克');
  }, 60_000);

  it('5. at a second market the buyer’s 样式二 passes and the producer’s original code is re-use', async () => {
    const tianyuan = await sessionHeaders(url, 'tianyuan_gate');
    const me = await (await fetch(`${url}/api/v1/gates`, { headers: tianyuan })).json();
    const dock = (me as { id: number; marketId: number }[])[0]!;
    async function judge(code: string, quantity: number) {
      const lot = await fetch(`${url}/api/v1/lots`, {
        method: 'POST',
        headers: { ...tianyuan, 'content-type': 'application/json' },
        body: JSON.stringify({
          marketId: dock.marketId,
          gateId: dock.id,
          declaration: declared(quantity),
        }),
      });
      const created = (await lot.json()) as { lot: { id: string } };
      expect(lot.status, JSON.stringify(created)).toBe(201);
      const lotId = created.lot.id;
      const scanned = await fetch(`${url}/api/v1/scans`, {
        method: 'POST',
        headers: { ...tianyuan, 'content-type': 'application/json' },
        body: JSON.stringify({
          scanId: randomUUID(),
          lotId,
          gateId: dock.id,
          provenance: {
            source: 'camera',
            rawText: code,
            keystrokeTimings: [],
            deviceTime: new Date().toISOString(),
            decoder: 'e2e',
          },
        }),
      });
      const answer = (await scanned.json()) as {
        verdict: { outcome: string; primary: { code: string } | null };
      };
      expect(scanned.status, JSON.stringify(answer)).toBe(200);
      return answer.verdict;
    }
    expect(await judge(resale!.code, 50)).toMatchObject({ outcome: 'accept' });
    expect(await judge(truckCodes[1]!.code, 50)).toMatchObject({
      outcome: 'reject',
      primary: { code: 'QUANTITY_EXCEEDED' },
    });
  }, 60_000);

  it('7. voiding a repack returns its quantity to the stall’s inventory', async () => {
    await page.reload();
    const issuedRow = page.locator('table.issued-list tr', { hasText: repacks[1]!.id });
    await issuedRow.getByRole('button', { name: '作废' }).click();
    await issuedRow.getByLabel('作废原因').fill('标签打错');
    await issuedRow.getByRole('button', { name: '作废' }).click();
    await expect.poll(() => issuedRow.textContent()).toContain('已作废');
    // 40 left + the 30 kg of the voided output
    await expect.poll(() => rowOf(truckCodes[0]!.id).textContent()).toContain('70 / 100 千克');
  }, 60_000);

  it('6. a producer recall revokes every descendant at the live agent and on the public page', async () => {
    const day = 86_400_000;
    const recalled = await api<{ revoked: string[]; heldItems: string[] }>('/api/v1/recalls', {
      as: 'changsha_regulator',
      body: {
        issuerId: (await certificatesOf(url, 'lvyuan_coop')).map((c) => c.issuerId)[0],
        issuedFrom: new Date(Date.now() - day).toISOString(),
        issuedTo: new Date(Date.now() + day).toISOString(),
        reason: '抽检发现禁用农药残留',
      },
    });
    expect(recalled.status, JSON.stringify(recalled.body)).toBe(201);
    for (const id of [repacks[0]!.id, resale!.id, ...truckCodes.map((c) => c.id)]) {
      expect(recalled.body.revoked).toContain(id);
    }
    // The live agent hears of it without a poll: the revocations arrive over its socket.
    await expect
      .poll(() => agent.trust.state?.index.revoked.has(resale!.id) ?? false, { timeout: 15_000 })
      .toBe(true);
    expect(agent.trust.state?.index.revoked.has(repacks[0]!.id)).toBe(true);
    const publicPage = await world.browser.newPage({ locale: 'zh-CN' });
    await publicPage.goto(`${url}/V/${resale!.code.replace(/^https?:\/\/[^/]+\/V\//i, '')}`);
    expect(await publicPage.locator('body').textContent()).toContain('已召回');
    expect(await publicPage.locator('body').textContent()).toContain('抽检发现禁用农药残留');
    await publicPage.close();
  }, 60_000);
});
