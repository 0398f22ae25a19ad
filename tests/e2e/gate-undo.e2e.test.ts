import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ConsoleInChromium,
  describeInChromium,
  logInAt,
  sessionHeaders,
  startConsole,
} from './browser.ts';

/** The smallest PNG the server's header check reads (64×48): the rapid test's strip photo. */
function tinyPng(): string {
  const bytes = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes, 0);
  bytes.writeUInt32BE(13, 8);
  bytes.write('IHDR', 12, 'ascii');
  bytes.writeUInt32BE(64, 16);
  bytes.writeUInt32BE(48, 20);
  return bytes.toString('base64');
}

interface LotSeen {
  id: string;
  plate: string;
  status: string;
  outcome: string | null;
  supplierAddress: string;
  supplierContact: string;
  documents: { type: string; certificateId: string | null; quantityClaim: number | null }[];
}

/**
 * The gate screen's undo, rapid-test hold, supplier details and demo replay, in chromium against the real server
 * started as `npm start` starts it (demo data): each fails on the gate screen without them.
 */
describeInChromium(
  'the gate screen undoes a scan, shows a hold, takes the supplier and replays the demo gate',
  () => {
    let world: ConsoleInChromium;
    let context: BrowserContext;
    let page: Page;
    let producer: { headers: Record<string, string>; issuerId: number };
    let staff: Record<string, string>;

    beforeAll(async () => {
      world = await startConsole();
      const url = world.server.url;
      const coop = await sessionHeaders(url, 'lvyuan_coop');
      const me = (await (await fetch(`${url}/api/v1/auth/me`, { headers: coop })).json()) as {
        scope: { issuerId: number };
      };
      producer = { headers: { ...coop, 'content-type': 'application/json' }, issuerId: me.scope.issuerId };
      staff = await sessionHeaders(url, 'mawangdui_gate');
      const [gate] = (await (await fetch(`${url}/api/v1/gates`, { headers: staff })).json()) as {
        name: string;
      }[];
      context = await world.browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
      page = await context.newPage();
      await logInAt(page, world.consoleUrl, '/gate', 'mawangdui_gate');
      await page.getByRole('button', { name: gate!.name, exact: true }).click();
      await page.locator('.feed-live').waitFor({ timeout: 15_000 });
    }, 120_000);

    afterAll(async () => {
      await world?.close();
    });

    async function issueCode(quantity: number): Promise<string> {
      const issued = await fetch(`${world.server.url}/api/v1/certificates`, {
        method: 'POST',
        headers: producer.headers,
        body: JSON.stringify({
          issuerId: producer.issuerId,
          productCode: 1001,
          quantity,
          unit: 'kg',
          originRegion: '430121',
          basis: 'self_tested',
        }),
      });
      expect(issued.status, await issued.clone().text()).toBe(201);
      return ((await issued.json()) as { certificate: { code: string } }).certificate.code;
    }

    async function lotsNow(): Promise<LotSeen[]> {
      const res = await fetch(`${world.server.url}/api/v1/lots?limit=50`, { headers: staff });
      return res.json() as never;
    }
    const lotOf = async (plate: string) => (await lotsNow()).find((lot) => lot.plate === plate);

    const verdict = () => page.locator('.gate output.verdict');
    const field = (label: string) => page.locator('.lot-form').getByLabel(label, { exact: true });
    const notice = () => page.locator('.gate p.notice').first();

    async function register(plate: string, quantity: string, supplier: Record<string, string> = {}) {
      await field('车牌').fill(plate);
      await field('产品名称').fill('大白菜');
      for (const [label, value] of Object.entries(supplier)) await field(label).fill(value);
      await field('数量').fill(quantity);
      await field('数量').press('Enter');
      await expect.poll(async () => (await lotOf(plate)) !== undefined).toBe(true);
      // The screen has taken the truck as the one being scanned: its next code counts for it.
      await expect.poll(async () => verdict().textContent()).toContain(`${plate} · 大白菜`);
    }

    async function wedgeScan(text: string) {
      await page.locator('input[name="code"]').focus();
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
    }

    it('undoes the last scan after a confirmation with its reason: the coverage goes back and the next code counts', async () => {
      const [first, wrong, right] = [await issueCode(100), await issueCode(100), await issueCode(100)];
      await register('湘A·30001', '300');
      await wedgeScan(first);
      await expect.poll(async () => verdict().textContent()).toContain('已核 100/300');
      await wedgeScan(wrong);
      await expect.poll(async () => verdict().textContent()).toContain('已核 200/300');

      await page.getByRole('button', { name: '撤销上一次扫码' }).click();
      // Confirmed by choosing why, in place: nothing is undone until then.
      await expect.poll(async () => page.locator('.undo-scan').textContent()).toContain('请选择原因');
      expect((await lotOf('湘A·30001'))!.documents.filter((d) => d.type === 'code')).toHaveLength(2);
      await page.getByRole('button', { name: '扫错码', exact: true }).click();

      await expect.poll(async () => notice().textContent()).toContain('已撤销上一次扫码');
      expect(await notice().textContent()).toContain('已核 100/300');
      const undone = (await lotOf('湘A·30001'))!;
      expect(undone.documents.map((d) => d.type)).toEqual(['code', 'reversed_code']);
      expect(undone.documents[1]!.quantityClaim ?? 0).toBe(0);
      expect(await page.locator('.recent li.recent-undone').count()).toBe(1);
      expect(await page.evaluate<string | undefined>('document.activeElement?.name')).toBe('code');

      // The truck is the one being scanned again: the right code brings it to 200 of 300.
      await wedgeScan(right);
      await expect.poll(async () => verdict().textContent()).toContain('已核 200/300');
      expect((await lotOf('湘A·30001'))!.documents.map((d) => d.type)).toEqual([
        'code',
        'reversed_code',
        'code',
      ]);
    }, 90_000);

    it('shows 快检阳性·暂停销售 on a truck whose goods a positive rapid test holds', async () => {
      await register('湘A·30002', '100');
      const lot = (await lotOf('湘A·30002'))!;
      const row = page.locator('.today-lots li', { hasText: '湘A·30002' });
      await expect.poll(async () => row.count()).toBe(1);
      expect(await row.textContent()).not.toContain('快检阳性');

      const admin = await sessionHeaders(world.server.url, 'mawangdui_admin');
      const tested = await fetch(`${world.server.url}/api/v1/rapid-tests`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify({
          lotId: lot.id,
          method: 'colloidal_gold',
          analyte: '克百威',
          sampleCount: 3,
          result: 'positive',
          testerName: '李检测',
          photo: tinyPng(),
        }),
      });
      expect(tested.status, await tested.clone().text()).toBe(200);
      await page.reload();
      await expect
        .poll(async () => page.locator('.today-lots li', { hasText: '湘A·30002' }).textContent(), {
          timeout: 15_000,
        })
        .toContain('快检阳性·暂停销售');
    }, 60_000);

    it("takes the supplier's address and phone with the truck", async () => {
      await register('湘A·30003', '80', {
        供货方地址: '长沙市宁乡市花明楼镇',
        供货方联系电话: '0731-88880000',
      });
      expect(await lotOf('湘A·30003')).toMatchObject({
        supplierAddress: '长沙市宁乡市花明楼镇',
        supplierContact: '0731-88880000',
      });
      expect(await field('供货方地址').inputValue()).toBe('');
    }, 60_000);

    it('plays the simulated gate on the demo server: its scans arrive on the screen, one replay at a time', async () => {
      const play = page.getByRole('button', { name: '演示：播放模拟道口' });
      await play.scrollIntoViewIfNeeded();
      const listed = await page.locator('.recent li').count();
      await play.click();
      await expect.poll(async () => page.locator('.demo-replay').textContent()).toContain('模拟道口开始播放');
      await expect
        .poll(async () => page.getByRole('button', { name: '模拟道口播放中…' }).isDisabled(), {
          timeout: 10_000,
        })
        .toBe(true);
      await expect
        .poll(async () => page.locator('.recent li').count(), { timeout: 90_000, interval: 1_000 })
        .toBeGreaterThan(listed);
    }, 150_000);
  },
);
