import {
  applySnapshotDelta,
  fromBase64Url,
  openSignedDelta,
  openSignedSnapshot,
  type TrustSnapshot,
} from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type SessionHeaders, type TestApp } from '../helper.ts';
import { bearer, scanBody } from '../scan/scan-fixture.ts';
import {
  cooperativeCertificates,
  inventoryOf,
  lotItem,
  transformAt,
  truckForStall,
} from './custody-fixture.ts';

/** docs/custody.md, unverified sources: a repack with goods nobody could verify, at the gate and in public. */
describe('unverified sources', () => {
  let t: TestApp;
  let vendor: SessionHeaders;
  let root: Uint8Array;

  beforeAll(async () => {
    t = await buildTestApp({ demo: true });
    vendor = await t.login(t.demo!.users.vendor, t.demo!.password);
    root = fromBase64Url(t.keyring.rootPublicKey)!;
  }, 120_000);
  afterAll(async () => t?.close());

  const trust = (query = '') =>
    t.inject({ method: 'GET', url: `/api/v1/trust${query}`, headers: bearer(t.demo!.deviceToken) });
  const snapshot = async (): Promise<TrustSnapshot> => {
    const opened = openSignedSnapshot((await trust()).json().snapshot, [root], nodeEd25519, t.clock.now());
    if (!opened.ok) throw new Error(opened.failure.detail);
    return opened.snapshot;
  };

  /** 100 kg of 大白菜 accepted at the gate for A-01: the vendor's own verified goods. */
  async function receivedCabbage() {
    const [certificate] = await cooperativeCertificates(t, 1);
    const { lotId, outcome } = await truckForStall(t, t.demo!.stalls.a01, [certificate!], { quantity: 100 });
    expect(outcome).toBe('accept');
    return lotItem(lotId, certificate!.id);
  }

  const foreignCabbage = {
    kind: 'foreign_code',
    description: '大白菜，外省平台码',
    quantity: 8,
    unit: 'jin',
    code: 'https://hgz.example.cn/hgz/HGZ20260315-0042',
  };

  /** A new lot of `quantity` kg at the east gate, and the gate device's verdict on `code`. */
  async function scanAtGate(code: string, quantity: number) {
    const token = t.demo!.deviceToken;
    const lot = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/lots',
        payload: {
          declaration: {
            productName: '大白菜',
            productCode: 1001,
            category: 'vegetable',
            quantity,
            unit: 'kg',
          },
        },
      },
      bearer(token),
    );
    expect(lot.statusCode, lot.body).toBe(201);
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/scans',
        payload: scanBody(lot.json().lot.id, t.demo!.gates.wholesaleEast, code),
      },
      bearer(token),
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json().verdict as { outcome: string; primary: { code: string } | null };
  }

  it('a repack with a foreign-code source is flagged, goes to review at the gate, and says so in public', async () => {
    const before = await snapshot();
    const itemId = await receivedCabbage();
    // 20 kg verified + 8 斤 (4 kg) declared = 24 kg taken; 22 kg made, 2 kg trimmed
    const made = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'repack',
      inputs: [{ itemId, quantity: 20 }],
      unverifiedSources: [foreignCabbage],
      outputs: [{ quantity: 22, unit: 'kg' }],
    });
    expect(made.statusCode, made.body).toBe(201);
    const transformation = made.json();
    expect(transformation).toMatchObject({ taken: 24, made: 22, loss: 2 });
    expect(transformation.unverifiedSources).toEqual([{ ...foreignCabbage, hasPhoto: false }]);
    const output = transformation.outputs[0];
    expect(output).toMatchObject({ unverifiedSources: true, basis: 'quality_control' });
    // only the verified goods are drawn from the inventory
    const items = (await inventoryOf(t, t.demo!.stalls.a01, vendor)).json() as { id: string; left: number }[];
    expect(items.find((item) => item.id === itemId)?.left).toBe(80);

    const verdict = await scanAtGate(output.code, 22);
    expect(verdict.outcome).toBe('review');
    expect(verdict.primary?.code).toBe('UNVERIFIED_SOURCES');

    const page = (await t.inject({ method: 'GET', url: output.code.slice(output.code.indexOf('/V/')) })).body;
    expect(page).toContain('含未经核验的来源');
    expect(page).toContain('大白菜，外省平台码');
    expect(page).toContain('8 斤');
    const verified = await t.inject({
      method: 'GET',
      url: `/api/v1/verify?code=${encodeURIComponent(output.code)}`,
    });
    expect(verified.json().certificate.unverifiedSources).toEqual({
      declared: [
        {
          kind: 'foreign_code',
          description: '大白菜，外省平台码',
          quantity: 8,
          unit: 'jin',
          code: foreignCabbage.code,
        },
      ],
    });

    // the agent's trust data: the full snapshot and the increment from before both carry the flag
    const after = await snapshot();
    expect(before.unverifiedSources).not.toContain(output.id);
    expect(after.unverifiedSources).toContain(output.id);
    const increment = await trust(`?since=${before.version}`);
    const opened = openSignedDelta(increment.json().delta, [root], nodeEd25519);
    if (!opened.ok) throw new Error(opened.failure.detail);
    expect(opened.delta.unverifiedSources).toContain(output.id);
    const applied = applySnapshotDelta(before, opened.delta);
    expect(applied.ok && applied.snapshot.unverifiedSources).toContain(output.id);
  });

  it('the flag travels down: a repack of a flagged kept output is flagged too, its page naming no declaration', async () => {
    const itemId = await receivedCabbage();
    const first = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'repack',
      inputs: [{ itemId, quantity: 10 }],
      unverifiedSources: [{ kind: 'paper', description: '王五的纸质合格证', quantity: 2, unit: 'kg' }],
      outputs: [{ quantity: 12, keep: true }],
    });
    expect(first.statusCode, first.body).toBe(201);
    const kept = first.json().outputs[0].id as string;
    const second = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'repack',
      inputs: [{ itemId: `out:${kept}`, quantity: 12 }],
      outputs: [{ quantity: 6 }, { quantity: 6 }],
    });
    expect(second.statusCode, second.body).toBe(201);
    for (const output of second.json().outputs) expect(output.unverifiedSources).toBe(true);
    const code = second.json().outputs[0].code as string;
    expect((await scanAtGate(code, 6)).primary?.code).toBe('UNVERIFIED_SOURCES');
    const page = (await t.inject({ method: 'GET', url: code.slice(code.indexOf('/V/')) })).body;
    expect(page).toContain('其来源合格证含未经核验的来源');
  });

  it('refuses unverified sources in a resale, and a unit that does not convert, writing nothing', async () => {
    const itemId = await receivedCabbage();
    const resale = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'resale',
      inputs: [{ itemId, quantity: 10 }],
      unverifiedSources: [{ kind: 'paper', description: '纸质合格证', quantity: 2, unit: 'kg' }],
      outputs: [{ quantity: 12 }],
    });
    expect(resale.statusCode).toBe(400);
    expect(resale.json().error.code).toBe('UNVERIFIED_IN_RESALE');
    const boxes = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'repack',
      inputs: [{ itemId, quantity: 10 }],
      unverifiedSources: [{ kind: 'paper', description: '纸质合格证', quantity: 2, unit: 'box' }],
      outputs: [{ quantity: 10 }],
    });
    expect(boxes.statusCode).toBe(400);
    expect(boxes.json().error.code).toBe('UNIT_MISMATCH');
    const missingCode = await transformAt(t, t.demo!.stalls.a01, vendor, {
      kind: 'repack',
      inputs: [{ itemId, quantity: 10 }],
      unverifiedSources: [{ kind: 'foreign_code', description: '外省码', quantity: 2, unit: 'kg' }],
      outputs: [{ quantity: 10 }],
    });
    expect(missingCode.json().error.code).toBe('VALIDATION_FAILED');
    const items = (await inventoryOf(t, t.demo!.stalls.a01, vendor)).json() as { id: string; left: number }[];
    expect(items.find((item) => item.id === itemId)?.left).toBe(100);
  });
});
