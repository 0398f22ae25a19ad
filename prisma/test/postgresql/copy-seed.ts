import { createHash } from 'node:crypto';
import type { PrismaClient } from '../../src/client.ts';
import { openRawSqlite } from '../../src/sqlite.ts';

export const seededScans = 4_321;

const at = (iso: string) => new Date(iso);
const photo = (size: number) => Uint8Array.from({ length: size }, (_, index) => (index * 37) % 256);

/**
 * A SQLite installation with rows in every table, through the Prisma client as the server writes them:
 * DateTimes with milliseconds, Booleans both ways, a photo, nulls and filled nullable columns, autoincrement ids
 * with a gap, enough scans to cross batch boundaries, and a hash-chained audit log. One TrustChange is written
 * by raw SQL so its time is SQLite's CURRENT_TIMESTAMP text.
 */
export async function seedEveryTable(prisma: PrismaClient, sqliteUrl: string): Promise<void> {
  await prisma.region.createMany({
    data: [
      { code: '330000', name: '浙江省', level: 'province', active: false },
      { code: '330106', name: '西湖区', level: 'county', parentCode: '330100' },
    ],
  });
  const market = await prisma.market.create({
    data: {
      name: '杭州农副产品物流中心',
      kind: 'wholesale',
      regionCode: '330106',
      createdAt: at('2026-01-02T03:04:05.678Z'),
    },
  });
  const closed = await prisma.market.create({
    data: {
      name: '已关闭市场',
      kind: 'supermarket',
      regionCode: '330000',
      active: false,
      openLotLimitMinutes: 30,
    },
  });
  await prisma.market.delete({ where: { id: closed.id } }); // leaves a gap below max(id)
  await prisma.market.create({ data: { id: 40, name: '勾庄市场', kind: 'wholesale', regionCode: '330106' } });
  const gate = await prisma.gate.create({ data: { marketId: market.id, name: '北门' } });
  await prisma.gate.create({ data: { marketId: market.id, name: '南门', active: false } });
  const issuer = await prisma.issuer.create({
    data: {
      kind: 'producer',
      name: '杭州绿源合作社',
      subjectId: '91330106MA2AAAAA1X',
      subjectIdKind: 'uscc',
      contact: '0571-88888888',
      regionCode: '330106',
      creditGrade: 'A',
    },
  });
  const vendor = await prisma.vendor.create({
    data: { name: '张三', subjectId: '330106199001011234', contact: '13800000000', issuerId: issuer.id },
  });
  await prisma.vendor.create({
    data: {
      name: '李四',
      subjectId: '330106199001015678',
      contact: '',
      active: false,
      leftAt: at('2026-06-30T16:00:00.001Z'),
    },
  });
  const stall = await prisma.stall.create({
    data: { marketId: market.id, number: 'A-01', vendorId: vendor.id },
  });
  await prisma.stall.create({ data: { marketId: market.id, number: 'A-02' } });
  await prisma.issuerKey.create({
    data: {
      id: 'key-1',
      keyId: 'a1b2c3d4',
      issuerId: issuer.id,
      publicKey: 'pub',
      privateKeySealed: 'sealed',
      validFrom: at('2026-01-01T00:00:00.000Z'),
      validTo: at('2027-01-01T00:00:00.000Z'),
      status: 'active',
    },
  });
  await prisma.product.create({ data: { code: 1001, name: '番茄', category: 'vegetable' } });
  const certificate = {
    kind: 'producer',
    issuerId: issuer.id,
    keyId: 'a1b2c3d4',
    code: 'LZ1:CODE',
    productCode: 1001,
    productName: '番茄',
    category: 'vegetable',
    quantity: 500.25,
    unit: 'kg',
    originRegion: '330106',
    issuerName: '杭州绿源合作社',
    contact: '0571-88888888',
    basis: 'self_tested',
    issuedAt: at('2026-05-01T08:00:00.500Z'),
  };
  await prisma.certificate.create({ data: { ...certificate, id: '00000000000000a1' } });
  await prisma.certificate.create({
    data: {
      ...certificate,
      id: '00000000000000b2',
      kind: 'repack',
      status: 'void',
      voidReason: '重复开具',
      voidKind: 'recall',
      transformationId: 'tf-1',
      recallId: 'recall-1',
      voidedAt: at('2026-05-02T00:00:00.000Z'),
      usedQuantity: 12.5,
      unverifiedSources: true,
    },
  });
  await prisma.certificateParent.create({
    data: { childId: '00000000000000b2', parentId: '00000000000000a1', quantity: 100 },
  });
  await prisma.device.create({
    data: {
      id: 'dev-1',
      gateId: gate.id,
      name: '北门扫码枪',
      tokenHash: 'h1',
      lastSeenAt: at('2026-05-01T09:00:00.999Z'),
    },
  });
  await prisma.device.create({
    data: {
      id: 'dev-2',
      gateId: gate.id,
      name: '旧设备',
      tokenHash: 'h2',
      revoked: true,
      revokedAt: at('2026-04-01T00:00:00Z'),
    },
  });
  const user = await prisma.user.create({
    data: {
      username: 'admin',
      passwordHash: 'x',
      displayName: '管理员',
      role: 'admin',
      marketId: market.id,
      stallId: stall.id,
    },
  });
  await prisma.user.create({
    data: {
      username: 'regulator',
      passwordHash: 'y',
      displayName: '监管',
      role: 'regulator',
      regionPrefix: '33',
      issuerId: issuer.id,
    },
  });
  await prisma.session.create({
    data: { id: 'sess-1', userId: user.id, csrfToken: 'csrf', expiresAt: at('2026-12-01T00:00:00.000Z') },
  });
  await prisma.lot.create({
    data: {
      id: 'lot-1',
      marketId: market.id,
      gateId: gate.id,
      stallId: stall.id,
      productName: '番茄',
      productCode: 1001,
      category: 'vegetable',
      quantity: 120.5,
      unit: 'kg',
      status: 'judged',
      outcome: 'accept',
      judgedAt: at('2026-05-01T08:31:00.123Z'),
    },
  });
  await prisma.lot.create({
    data: {
      id: 'lot-2',
      marketId: market.id,
      productName: '鸡蛋',
      category: 'egg',
      quantity: 3,
      unit: 'box',
      noCertificate: true,
    },
  });
  await prisma.lotDocument.create({
    data: {
      id: 'doc-1',
      lotId: 'lot-1',
      type: 'paper',
      fields: '{"issuer":"绿源"}',
      photo: photo(70_000),
      quantityClaim: 20,
    },
  });
  await prisma.lotDocument.create({
    data: { id: 'doc-2', lotId: 'lot-1', type: 'code', certificateId: '00000000000000a1' },
  });
  await prisma.inventoryItem.create({
    data: {
      id: 'lot:lot-1:00000000000000a1',
      marketId: market.id,
      stallId: stall.id,
      certificateId: '00000000000000a1',
      lotId: 'lot-1',
      received: 100.5,
      drawn: 12.25,
      unit: 'kg',
      held: true,
      heldReason: '召回',
      receivedAt: at('2026-05-01T08:31:00.123Z'),
    },
  });
  await prisma.transformation.create({
    data: {
      id: 'tf-1',
      kind: 'repack',
      marketId: market.id,
      stallId: stall.id,
      issuerId: issuer.id,
      actor: 'user:1',
      unit: 'kg',
      taken: 12.25,
      made: 12.5,
      loss: 0,
      at: at('2026-05-01T09:00:00.000Z'),
    },
  });
  await prisma.transformationDraw.create({
    data: {
      id: 'draw-1',
      transformationId: 'tf-1',
      inventoryItemId: 'lot:lot-1:00000000000000a1',
      sourceCertificateId: '00000000000000a1',
      outputCertificateId: '00000000000000b2',
      quantity: 12.25,
      returnedAt: at('2026-05-02T00:00:00.000Z'),
    },
  });
  await prisma.unverifiedSource.create({
    data: {
      id: 'tf-1:0',
      transformationId: 'tf-1',
      kind: 'foreign_code',
      description: '辣椒，外省平台码',
      quantity: 2.5,
      unit: 'kg',
      code: 'https://hgz.example.cn/hgz/HGZ20260501-0001',
      photo: Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      photoType: 'jpeg',
    },
  });
  await prisma.recall.create({
    data: {
      id: 'recall-1',
      reason: '农残抽检超标',
      issuerId: issuer.id,
      issuedFrom: at('2026-04-01T00:00:00.000Z'),
      issuedTo: at('2026-05-01T00:00:00.000Z'),
      actor: 'user:1',
      at: at('2026-05-03T00:00:00.000Z'),
      revokedCount: 2,
      heldCount: 1,
    },
  });
  await prisma.scan.createMany({
    data: Array.from({ length: seededScans }, (_, index) => ({
      id: `scan-${String(index).padStart(5, '0')}`,
      lotId: index % 3 === 0 ? null : 'lot-1',
      deviceId: index % 2 === 0 ? 'dev-1' : null,
      marketId: market.id,
      source: index % 5 === 0 ? 'camera' : 'hid',
      rawText: `LZ1:${index}`,
      keystrokeTimings: index % 4 === 0 ? '[3,4,5]' : null,
      deviceTime: index % 2 === 0 ? new Date(Date.UTC(2026, 4, 1, 8, 0, 0, index)) : null,
      receivedAt: new Date(Date.UTC(2026, 4, 1, 8, 0, 1, index)),
      codeKind: 'liangzheng',
      certificateId: '00000000000000a1',
      provisional: index % 7 === 0,
      provisionalOutcome: index % 7 === 0 ? 'accept' : null,
      outcome: 'accept',
      reasons: '[]',
      conflict: index % 11 === 0,
      response: `{"n":${index}}`,
    })),
  });
  await prisma.scanReversal.create({
    data: {
      id: 'rev-1',
      scanId: 'scan-00001',
      lotId: 'lot-1',
      marketId: market.id,
      reason: 'wrong_code',
      note: '扫错码',
      reversedBy: 'gate_1',
      returned: '[{"certificateId":"00000000000000a1","quantity":12.5}]',
      reversedAt: at('2026-05-01T08:05:00.000Z'),
    },
  });
  await prisma.verdict.create({
    data: {
      id: 'ver-1',
      lotId: 'lot-1',
      outcome: 'review',
      rulesVersion: '2026.1',
      source: 'agent',
      reasons: {
        create: [{ code: 'QUANTITY_EXCEEDED', documentIndex: 0, detail: '{"over":1.5}' }, { code: 'LATE' }],
      },
    },
  });
  await prisma.violation.create({
    data: {
      id: 'vio-1',
      lotId: 'lot-2',
      marketId: market.id,
      regionCode: '330106',
      reason: 'NO_CERTIFICATE',
      assigneeId: user.id,
      events: {
        create: [
          { type: 'created', toStatus: 'open' },
          { type: 'status', fromStatus: 'open', toStatus: 'reviewing', note: '复核', actorId: user.id },
        ],
      },
    },
  });
  await prisma.rapidTest.create({
    data: {
      id: 'rt-1',
      lotId: 'lot-1',
      method: 'enzyme_inhibition',
      analyte: '有机磷',
      sampleCount: 3,
      result: 'negative',
    },
  });
  await prisma.rapidTest.create({
    data: {
      id: 'rt-2',
      lotId: 'lot-1',
      method: 'lab',
      analyte: '有机磷',
      sampleCount: 1,
      result: 'negative',
      retestOfId: 'rt-1',
      testerId: user.id,
    },
  });
  await prisma.ruleSetVersion.create({ data: { version: '2026.1', body: '{"rules":[]}', active: true } });
  const decidedAt = at('2026-05-01T10:00:00.000Z');
  await prisma.creditGrade.create({
    data: {
      issuerId: issuer.id,
      grade: 'B',
      score: 78.5,
      source: 'computed',
      trigger: 'vio-1',
      inputs: '{"violations":1}',
      actor: 'system:credit',
      computedAt: decidedAt,
    },
  });
  await prisma.inspectionDraw.create({
    data: {
      id: 'draw-1',
      seed: '2026-05-01',
      params: '{"count":1}',
      inspectorPool: `[${user.id}]`,
      targetPool: `[${market.id}]`,
      result: '[]',
      actor: 'admin',
      at: decidedAt,
      tasks: {
        create: {
          id: 'task-1',
          inspectorId: user.id,
          targetKind: 'market',
          marketId: market.id,
          regionCode: '330106',
          findings: {
            create: {
              id: 'finding-1',
              compliant: false,
              note: '未亮证',
              lotId: 'lot-2',
              actorId: user.id,
              at: decidedAt,
            },
          },
        },
      },
    },
  });
  await prisma.violationDisposition.create({
    data: {
      id: 'disp-1',
      violationId: 'vio-1',
      kind: 'penalty',
      note: '责令改正',
      amountYuan: 500,
      actorId: user.id,
      at: decidedAt,
    },
  });
  await prisma.enrollmentCode.create({
    data: {
      codeHash: 'e'.repeat(64),
      gateId: gate.id,
      name: '北门扫码枪',
      expiresAt: new Date(Date.UTC(2026, 4, 1, 9, 30)),
      createdBy: 'admin',
    },
  });
  await prisma.trustChange.create({ data: { kind: 'key', ref: 'key-1' } });
  const raw = openRawSqlite(sqliteUrl);
  try {
    raw.prepare("INSERT INTO TrustChange (kind, ref) VALUES ('rules', '2026.1')").run();
  } finally {
    raw.close();
  }
  let prevHash = '0'.repeat(64);
  for (let seq = 1; seq <= 25; seq += 1) {
    const row = {
      at: new Date(Date.UTC(2026, 4, 1, 9, 0, seq, seq * 7)),
      actor: 'admin',
      action: 'scan.accept',
      entity: 'Scan',
      entityId: `scan-${seq}`,
      data: `{"seq":${seq}}`,
    };
    const hash = createHash('sha256')
      .update(prevHash)
      .update(JSON.stringify(Object.values(row)))
      .digest('hex');
    await prisma.auditLog.create({ data: { ...row, prevHash, hash } });
    prevHash = hash;
  }
}
