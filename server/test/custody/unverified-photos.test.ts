import { maxPhotoBase64Chars, maxTransformationBodyBytes, maxUnverifiedSources } from '@liangzheng/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, TEST_ADMIN_PASSWORD, type TestApp } from '../helper.ts';
import { testPhoto } from '../lot/photo-fixture.ts';
import {
  cooperativeCertificates,
  inventoryOf,
  lotItem,
  transformAt,
  truckForStall,
} from './custody-fixture.ts';

/**
 * A real JPEG padded after its end to exactly the largest photo the schema takes (150,000 bytes, 200,000 base64
 * characters); `fill` tells two such photos apart.
 */
function photoAtLimit(fill: number): Buffer {
  const bytes = Buffer.alloc((maxPhotoBase64Chars / 4) * 3, fill);
  testPhoto.copy(bytes);
  return bytes;
}

/**
 * docs/custody.md, unverified sources: their photos shown to those who may see the stall, a repack carrying the
 * most photos the schema allows past the server's default body limit, and the flag in the stall's inventory.
 */
describe('unverified sources: photos, body limit, inventory flag', () => {
  let t: TestApp;
  let vendor: SessionHeaders;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
  }, 120_000);
  afterAll(async () => t?.close());

  /** 100 kg of 大白菜 accepted at the gate for A-01: the vendor's own verified goods. */
  async function receivedCabbage() {
    const [certificate] = await cooperativeCertificates(t, 1);
    const { lotId, outcome } = await truckForStall(t, t.demo!.stalls.a01, [certificate!], { quantity: 100 });
    expect(outcome).toBe('accept');
    return lotItem(lotId, certificate!.id);
  }

  const paper = (n: number, photo?: Buffer) => ({
    kind: 'paper',
    description: `王五的纸质合格证 ${n}`,
    quantity: 1,
    unit: 'kg',
    ...(photo ? { photo: photo.toString('base64') } : {}),
  });

  /** A repack of 10 kg of the vendor's cabbage and the given sources (1 kg each), everything made and kept. */
  async function repackWith(sources: ReturnType<typeof paper>[]) {
    const itemId = await receivedCabbage();
    const body = {
      kind: 'repack',
      inputs: [{ itemId, quantity: 10 }],
      unverifiedSources: sources,
      outputs: [{ quantity: 10 + sources.length, keep: true }],
    };
    return { itemId, body, res: await transformAt(t, t.demo!.stalls.a01, vendor, body) };
  }

  const photoUrl = (id: string, index: number | string) =>
    `/api/v1/transformations/${id}/unverified-sources/${index}/photo`;

  it('takes two photos at the size limit, past the default body limit, and serves each back as it was', async () => {
    const photos = [photoAtLimit(0), photoAtLimit(1)];
    expect(photos[0]!.toString('base64')).toHaveLength(maxPhotoBase64Chars);
    const { body, res } = await repackWith([paper(1, photos[0]), paper(2, photos[1])]);
    expect(JSON.stringify(body).length).toBeGreaterThan(t.config.bodyLimitBytes);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    const made = res.json();
    expect(made.unverifiedSources.map((s: { hasPhoto: boolean }) => s.hasPhoto)).toEqual([true, true]);
    for (const [index, photo] of photos.entries()) {
      const served = await t.inject({ method: 'GET', url: photoUrl(made.id, index) }, vendor);
      expect(served.statusCode).toBe(200);
      expect(served.headers['content-type']).toBe('image/jpeg');
      expect(served.headers['cache-control']).toBe('private, no-store');
      expect(served.rawPayload.equals(photo)).toBe(true);
    }
  });

  it('takes as many photos at the size limit as the schema allows sources', async () => {
    const sources = Array.from({ length: maxUnverifiedSources }, (_, k) => paper(k, photoAtLimit(k)));
    const { body, res } = await repackWith(sources);
    expect(JSON.stringify(body).length).toBeLessThanOrEqual(maxTransformationBodyBytes);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
    expect(res.json().unverifiedSources).toHaveLength(maxUnverifiedSources);
  });

  it('refuses a body over the route’s limit with the coded 413, writing nothing', async () => {
    const itemId = await receivedCabbage();
    const body = JSON.stringify({
      kind: 'repack',
      inputs: [{ itemId, quantity: 10 }],
      unverifiedSources: [paper(1, photoAtLimit(0))],
      outputs: [{ quantity: 11 }],
    });
    // Valid JSON, one byte too large: the limit alone refuses it.
    const payload = body.padEnd(maxTransformationBodyBytes + 1, ' ');
    const res = await t.inject(
      {
        method: 'POST',
        url: `/api/v1/stalls/${t.demo!.stalls.a01}/transformations`,
        payload,
        headers: { 'content-type': 'application/json' },
      },
      vendor,
    );
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error: { code: 'BODY_TOO_LARGE', message: expect.any(String) } });
    const items = (await inventoryOf(t, t.demo!.stalls.a01, vendor)).json() as { id: string; left: number }[];
    expect(items.find((item) => item.id === itemId)?.left).toBe(100);
  });

  it('shows a photo to the stall’s vendor, its market’s staff, its region’s regulator and admins only', async () => {
    const { res } = await repackWith([paper(1, testPhoto)]);
    expect(res.statusCode, res.body).toBe(201);
    const url = photoUrl(res.json().id, 0);
    const users = t.demo!.users;
    const as = async (username: string, password = t.demo!.password) =>
      t.inject({ method: 'GET', url }, await t.login(username, password));
    for (const username of [users.vendor, users.market_admin, users.gate_staff, users.regulator]) {
      const seen = await as(username);
      expect(seen.statusCode, username).toBe(200);
      expect(seen.rawPayload.equals(testPhoto), username).toBe(true);
    }
    expect((await as('admin', TEST_ADMIN_PASSWORD)).statusCode).toBe(200);
    // another market's admin, another region's regulator: as if it did not exist
    for (const username of [users.otherMarketAdmin, users.otherRegulator]) {
      const hidden = await as(username);
      expect(hidden.statusCode, username).toBe(404);
      expect(hidden.json().error.code).toBe('NOT_FOUND');
    }
    const producer = await as(users.producer);
    expect(producer.statusCode).toBe(403);
    expect(producer.json().error.code).toBe('FORBIDDEN');
    const anonymous = await t.inject({ method: 'GET', url });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('answers NO_PHOTO for a source without one, NOT_FOUND for no such source, 400 for a bad index', async () => {
    const { res } = await repackWith([paper(1), paper(2, testPhoto)]);
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const get = (url: string) => t.inject({ method: 'GET', url }, vendor);
    const none = await get(photoUrl(id, 0));
    expect(none.statusCode).toBe(404);
    expect(none.json().error.code).toBe('NO_PHOTO');
    expect((await get(photoUrl(id, 1))).statusCode).toBe(200);
    for (const url of [photoUrl(id, 2), photoUrl('00000000-0000-4000-8000-000000000000', 0)]) {
      const missing = await get(url);
      expect(missing.statusCode, url).toBe(404);
      expect(missing.json().error.code).toBe('NOT_FOUND');
    }
    for (const index of ['x', '-1', String(maxUnverifiedSources), '1.5']) {
      const bad = await get(photoUrl(id, index));
      expect(bad.statusCode, index).toBe(400);
      expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('says in the stall’s inventory which items carry unverified sources', async () => {
    const { itemId, res } = await repackWith([paper(1)]);
    expect(res.statusCode, res.body).toBe(201);
    const kept = `out:${res.json().outputs[0].id}`;
    const items = (await inventoryOf(t, t.demo!.stalls.a01, vendor)).json() as {
      id: string;
      unverifiedSources: boolean;
    }[];
    expect(items.find((item) => item.id === kept)?.unverifiedSources).toBe(true);
    expect(items.find((item) => item.id === itemId)?.unverifiedSources).toBe(false);
  });
});
