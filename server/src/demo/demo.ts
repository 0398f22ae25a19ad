import { type CertificateFields, defaultCustodyRules, type Role } from '@liangzheng/domain';
import type { FastifyInstance } from 'fastify';
import { issueCertificates } from '../certificate/certificate.service.ts';
import { lotItemId } from '../custody/inventory.ts';
import { hashPassword } from '../identity/password.ts';
import { tokenHash } from '../identity/token.ts';
import { rotateIssuerKey } from '../registry/issuer-key.service.ts';
import { transform } from '../transformation/transformation.service.ts';
import { DEMO_DEVICE_TOKEN, DEMO_PASSWORD, demoCreditCode, demoProducts, demoRegions } from './demo-data.ts';

export interface DemoLogins {
  password: string;
  /** one user per role in the wholesale market's scope, and peers elsewhere to show scopes apart */
  users: Record<Exclude<Role, 'admin'>, string> & { otherMarketAdmin: string; otherRegulator: string };
  deviceToken: string;
  deviceId: string;
  markets: { wholesale: number; supermarket: number };
  gates: { wholesaleEast: number; supermarketDock: number };
  stalls: { a01: number; s01: number };
  issuers: { coop: number; farm: number; eggs: number; repacker: number };
  certificateIds: string[];
}

/**
 * Seeds the demo: 湖南省 with 长沙 and 株洲, a wholesale market and a supermarket, gates, stalls, vendors,
 * producers with valid 统一社会信用代码 and credit grades, their keys, a gate device with a fixed token and
 * a user for every role. Only runs on a database without markets; returns undefined otherwise.
 */
export async function seedDemo(app: FastifyInstance): Promise<DemoLogins | undefined> {
  const { prisma, keyring, audit } = app;
  if ((await prisma.market.count()) > 0) return undefined;
  const now = app.clock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const seeded = await prisma.$transaction(async (tx) => {
    for (const region of demoRegions) await tx.region.create({ data: region });
    // A fresh install already holds the default catalogue (which has these); a test database may not.
    for (const product of demoProducts) {
      await tx.product.upsert({ where: { code: product.code }, create: product, update: {} });
    }

    const wholesale = await tx.market.create({
      data: {
        name: '长沙马王堆蔬菜批发市场',
        kind: 'wholesale',
        regionCode: '430102',
        openLotLimitMinutes: 90,
      },
    });
    const supermarket = await tx.market.create({
      data: { name: '株洲天元鲜生超市', kind: 'supermarket', regionCode: '430211', openLotLimitMinutes: 60 },
    });
    const east = await tx.gate.create({ data: { marketId: wholesale.id, name: '东门 1 号道口' } });
    await tx.gate.create({ data: { marketId: wholesale.id, name: '北门 2 号道口' } });
    const dock = await tx.gate.create({ data: { marketId: supermarket.id, name: '收货口' } });

    const repacker = await tx.issuer.create({
      data: {
        kind: 'repacker',
        name: '芙蓉区张桂兰蔬菜经营部',
        subjectId: demoCreditCode('92', '430102', 'MA4L3K7Q0'),
        subjectIdKind: 'uscc',
        contact: '138 7311 2046',
        regionCode: '430102',
        creditGrade: 'A',
      },
    });
    const zhang = await tx.vendor.create({
      data: {
        name: '张桂兰',
        subjectId: repacker.subjectId,
        contact: '138 7311 2046',
        address: '长沙市芙蓉区马王堆蔬菜批发市场 A 区',
        productTypes: '叶菜、辣椒',
        supplyChannel: '宁乡、浏阳合作社直供',
        origin: '湖南宁乡',
        creditGrade: 'A',
        issuerId: repacker.id,
      },
    });
    const li = await tx.vendor.create({
      data: {
        name: '李建国',
        subjectId: demoCreditCode('92', '430102', 'MA4M0P2X5'),
        contact: '139 7480 5521',
        address: '长沙市芙蓉区马王堆蔬菜批发市场 A 区',
        productTypes: '菌菇',
        origin: '湖南浏阳',
      },
    });
    const wang = await tx.vendor.create({
      data: {
        name: '王芳',
        subjectId: demoCreditCode('92', '430211', 'MA4Q8R1T3'),
        contact: '137 3221 0917',
        address: '株洲市天元区鲜生超市生鲜部',
        productTypes: '鸡蛋、水果',
      },
    });
    const a01 = await tx.stall.create({
      data: { marketId: wholesale.id, number: 'A-01', vendorId: zhang.id },
    });
    await tx.stall.create({ data: { marketId: wholesale.id, number: 'A-02', vendorId: li.id } });
    await tx.stall.create({ data: { marketId: wholesale.id, number: 'B-15' } });
    const s01 = await tx.stall.create({
      data: { marketId: supermarket.id, number: 'S-01', vendorId: wang.id },
    });

    const coop = await tx.issuer.create({
      data: {
        kind: 'cooperative',
        name: '宁乡市绿源蔬菜种植专业合作社',
        subjectId: demoCreditCode('93', '430182', 'MA4P9T6K2'),
        subjectIdKind: 'uscc',
        contact: '0731-8786 2210',
        regionCode: '430182',
        creditGrade: 'A',
      },
    });
    const farm = await tx.issuer.create({
      data: {
        kind: 'producer',
        name: '浏阳市金阳生态农业有限公司',
        subjectId: demoCreditCode('91', '430181', 'MA4R2C8H1'),
        subjectIdKind: 'uscc',
        contact: '0731-8365 4471',
        regionCode: '430181',
        creditGrade: 'B',
      },
    });
    const eggs = await tx.issuer.create({
      data: {
        kind: 'producer',
        name: '长沙县春华蛋鸡养殖场',
        subjectId: demoCreditCode('92', '430121', 'MA4N5D3W8'),
        subjectIdKind: 'uscc',
        contact: '135 0841 7736',
        regionCode: '430121',
        creditGrade: 'C',
      },
    });
    for (const issuer of [repacker, coop, farm, eggs]) {
      await tx.trustChange.create({ data: { kind: 'issuer', ref: String(issuer.id), at: now } });
      await rotateIssuerKey(tx, keyring, issuer.id, now);
    }

    const device = await tx.device.create({
      data: {
        id: 'demo-gate-mawangdui-east',
        gateId: east.id,
        name: '东门扫码枪',
        tokenHash: tokenHash(DEMO_DEVICE_TOKEN),
      },
    });

    const users = {
      market_admin: { username: 'mawangdui_admin', displayName: '马王堆市场管理员', marketId: wholesale.id },
      gate_staff: { username: 'mawangdui_gate', displayName: '东门查验员', marketId: wholesale.id },
      vendor: { username: 'vendor_a01', displayName: '张桂兰', marketId: wholesale.id, stallId: a01.id },
      producer: { username: 'lvyuan_coop', displayName: '绿源合作社', issuerId: coop.id },
      regulator: { username: 'changsha_regulator', displayName: '长沙市市场监管局', regionPrefix: '4301' },
    } satisfies Record<Exclude<Role, 'admin'>, Record<string, unknown>>;
    for (const [role, user] of Object.entries(users))
      await tx.user.create({ data: { ...user, role, passwordHash } });
    const peers = [
      {
        username: 'tianyuan_admin',
        displayName: '天元超市管理员',
        role: 'market_admin',
        marketId: supermarket.id,
      },
      { username: 'tianyuan_gate', displayName: '天元收货员', role: 'gate_staff', marketId: supermarket.id },
      {
        username: 'vendor_s01',
        displayName: '王芳',
        role: 'vendor',
        marketId: supermarket.id,
        stallId: s01.id,
      },
      { username: 'jinyang_farm', displayName: '金阳农业', role: 'producer', issuerId: farm.id },
      { username: 'hunan_regulator', displayName: '湖南省市场监管局', role: 'regulator', regionPrefix: '43' },
      {
        username: 'zhuzhou_regulator',
        displayName: '株洲市市场监管局',
        role: 'regulator',
        regionPrefix: '4302',
      },
      {
        username: 'furong_regulator',
        displayName: '芙蓉区市场监管局',
        role: 'regulator',
        regionPrefix: '430102',
      },
    ];
    for (const user of peers) await tx.user.create({ data: { ...user, passwordHash } });
    await audit.append(tx, { actor: 'system', action: 'seed', entity: 'demo', entityId: 'demo' });

    return {
      users: {
        market_admin: users.market_admin.username,
        gate_staff: users.gate_staff.username,
        vendor: users.vendor.username,
        producer: users.producer.username,
        regulator: users.regulator.username,
        otherMarketAdmin: 'tianyuan_admin',
        otherRegulator: 'zhuzhou_regulator',
      },
      deviceId: device.id,
      markets: { wholesale: wholesale.id, supermarket: supermarket.id },
      gates: { wholesaleEast: east.id, supermarketDock: dock.id },
      stalls: { a01: a01.id, s01: s01.id },
      issuers: { coop: coop.id, farm: farm.id, eggs: eggs.id, repacker: repacker.id },
    };
  });
  const certificateIds = await issueDemoCertificates(app, seeded.issuers);
  return { ...seeded, password: DEMO_PASSWORD, deviceToken: DEMO_DEVICE_TOKEN, certificateIds };
}

/** About ten certificates a market would see on a morning: three producers' lots and one stall's repack. */
async function issueDemoCertificates(
  app: FastifyInstance,
  issuers: DemoLogins['issuers'],
): Promise<string[]> {
  const deps = {
    db: app.prisma,
    dialect: app.dialect,
    keyring: app.keyring,
    audit: app.audit,
    clock: app.clock,
    codeHost: app.config.codeHost,
  };
  const days: [number, CertificateFields[]][] = [
    [
      issuers.coop,
      [
        { ...demoLot(1001, 1200, 'kg', '430182', '宁乡市花明楼镇'), basis: 'self_tested' },
        { ...demoLot(1002, 600, 'kg', '430182', '宁乡市花明楼镇'), basis: 'self_tested' },
        { ...demoLot(1003, 800, 'jin', '430182', '宁乡市双江口镇'), basis: 'quality_control' },
        { ...demoLot(1001, 900, 'kg', '430182', '宁乡市花明楼镇'), basis: 'commissioned_test' },
      ],
    ],
    [
      issuers.farm,
      [
        { ...demoLot(1004, 300, 'kg', '430181', '浏阳市大围山镇'), basis: 'commissioned_test' },
        { ...demoLot(2001, 2, 't', '430181', '浏阳市永安镇'), basis: 'quality_control' },
        { ...demoLot(3001, 150, 'kg', '430181', '浏阳市大围山镇'), basis: 'quality_control' },
      ],
    ],
    [
      issuers.eggs,
      [
        { ...demoLot(5001, 60, 'box', '430121', '长沙县春华镇'), basis: 'self_tested' },
        { ...demoLot(5001, 45, 'box', '430121', '长沙县春华镇'), basis: 'self_tested' },
      ],
    ],
  ];
  const ids: string[] = [];
  for (const [issuerId, items] of days) {
    const result = await issueCertificates(deps, 'system:demo', issuerId, items);
    if (!result.ok) throw new Error(`demo certificates: ${result.error.code} ${result.error.message}`);
    ids.push(...result.value.map((row) => row.id));
  }
  const repackId = await demoRepack(app, issuers, ids[0]!);
  return [...ids, repackId];
}

/**
 * Stall A-01 received 300 kg of the cooperative's first 大白菜 through the east gate two days before (accepted,
 * charged to its ledger), and repacked 200 kg of it into 精品大白菜 in 张桂兰's own name.
 */
async function demoRepack(app: FastifyInstance, issuers: DemoLogins['issuers'], certificateId: string) {
  const stall = await app.prisma.stall.findFirstOrThrow({
    where: { vendor: { issuerId: issuers.repacker } },
  });
  const gate = await app.prisma.gate.findFirstOrThrow({ where: { marketId: stall.marketId } });
  // The truck came two days before: the dashboard's figures for today and yesterday stay today's and yesterday's.
  const arrived = new Date(app.clock.now().getTime() - 2 * 86_400_000);
  const lotId = 'demo-lot-a01-cabbage';
  await app.prisma.$transaction(async (tx) => {
    await tx.lot.create({
      data: {
        id: lotId,
        marketId: stall.marketId,
        gateId: gate.id,
        stallId: stall.id,
        plate: '湘A·D7K21',
        supplier: '宁乡市绿源蔬菜种植专业合作社',
        productName: '大白菜',
        productCode: 1001,
        category: 'vegetable',
        quantity: 300,
        unit: 'kg',
        status: 'judged',
        outcome: 'accept',
        openedAt: arrived,
        judgedAt: arrived,
        documents: { create: { id: `${lotId}-doc`, type: 'code', certificateId, quantityClaim: 300 } },
      },
    });
    await tx.certificate.update({ where: { id: certificateId }, data: { usedQuantity: { increment: 300 } } });
  });
  const result = await transform(
    {
      keyring: app.keyring,
      clock: app.clock,
      codeHost: app.config.codeHost,
      rules: defaultCustodyRules,
      store: app.transformations,
    },
    // The demo seeds its own market: nobody's scope to check.
    { actor: 'system:demo', sees: () => true },
    stall.id,
    {
      kind: 'repack',
      inputs: [{ itemId: lotItemId(lotId, certificateId), quantity: 200 }],
      outputs: [{ productName: '精品大白菜（分装）', quantity: 200, keep: true }],
    },
  );
  if (!result.ok) throw new Error(`demo repack: ${result.error.code} ${result.error.message}`);
  return result.transformation.outputs[0]!.id;
}

function demoLot(
  productCode: number,
  quantity: number,
  unit: CertificateFields['unit'],
  region: string,
  text: string,
) {
  return {
    productCode,
    quantity,
    unit,
    originRegion: region,
    originText: `湖南省${text}`,
    commitmentVersion: '2026' as const,
  };
}
