import { seededRandom } from '@liangzheng/domain/random/seeded-random';
import { addDays, localDay, localDayStart } from '@liangzheng/domain/time/local-day';
import type { FastifyInstance } from 'fastify';
import type { DemoLogins } from './demo.ts';

/** How far back the history reaches: the dashboard's default range. */
export const historyDays = 30;

const violationStates = ['open', 'reviewing', 'confirmed', 'dismissed', 'rectified'] as const;
const suppliers = [
  '宁乡市绿源蔬菜种植专业合作社',
  '浏阳市金阳生态农业有限公司',
  '王五（个体）',
  '赵六（个体）',
  '湘潭刘记果蔬',
];
const plates = ['湘A·D7K21', '湘A·3F9Q2', '湘B·77M10', '湘C·Q2038', '湘A·K8812', '湘N·51T66'];
const goods = [
  { productName: '大白菜', productCode: 1001, category: 'vegetable', unit: 'kg' },
  { productName: '辣椒', productCode: 1004, category: 'vegetable', unit: 'kg' },
  { productName: '鲜鸡蛋', productCode: 5001, category: 'egg', unit: 'box' },
  { productName: '脐橙', productCode: 3001, category: 'fruit', unit: 'kg' },
];

/** How a truck's papers went at the gate; the weights are what a market sees on an ordinary day. */
type Kind = 'code' | 'paper' | 'second' | 'foreign' | 'none';
const kinds: [Kind, number][] = [
  ['code', 0.68],
  ['paper', 0.1],
  ['second', 0.06],
  ['foreign', 0.06],
  ['none', 0.1],
];

interface Rows {
  lots: Record<string, unknown>[];
  documents: Record<string, unknown>[];
  scans: Record<string, unknown>[];
  violations: Record<string, unknown>[];
  events: Record<string, unknown>[];
  tests: Record<string, unknown>[];
}

/**
 * 30 days of gate history before today (and today's so far) across the demo markets, so the dashboard, the reports and the board mean
 * something on `npm start`: arrivals on codes, paper certificates, second documents and foreign codes, rejections
 * with violations in every state, rapid tests with a positive confirmed by its lab retest and one cleared by it, and
 * one 双随机 draw. Deterministic (a fixed seed, times from the clock) and written in a few bulk inserts. Not part of
 * seedDemo: tests that seed the demo count its rows exactly.
 */
export async function seedDemoHistory(app: FastifyInstance, demo: DemoLogins): Promise<number> {
  const db = app.prisma;
  const random = seededRandom('liangzheng-demo-history');
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const timeZone = app.config.timeZone;
  const today = localDay(app.clock.now(), timeZone);
  const markets = await db.market.findMany({
    where: { id: { in: [demo.markets.wholesale, demo.markets.supermarket] } },
    include: { gates: { take: 1 }, stalls: { where: { vendorId: { not: null } } } },
  });
  const certificates = await db.certificate.findMany({
    where: { id: { in: demo.certificateIds } },
    select: { id: true, code: true, productName: true, productCode: true, category: true, unit: true },
  });
  const rows: Rows = { lots: [], documents: [], scans: [], violations: [], events: [], tests: [] };
  let violationCount = 0;

  const now = app.clock.now().getTime();
  // the days before today, and this morning's trucks so far (the public board's 今日 tiles)
  for (let back = historyDays; back >= 0; back--) {
    const day = addDays(today, -back);
    const dayStart = localDayStart(day, timeZone).getTime();
    for (const market of markets) {
      const wholesale = market.kind === 'wholesale';
      // a quieter Sunday, and the wholesale market busier than the supermarket's dock
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      const count = Math.round((wholesale ? 24 : 9) * (weekday === 0 ? 0.6 : 1) * (0.8 + random() * 0.4));
      for (let i = 0; i < count; i++) {
        const id = `demo-h-${market.id}-${day}-${i}`;
        // most trucks between 03:00 and 11:00; a few just after midnight
        const minutes = i === 0 ? 30 : 180 + Math.floor(random() * 480);
        const openedAt = new Date(dayStart + minutes * 60_000);
        if (openedAt.getTime() > now - 15 * 60_000) continue;
        const judgedAt = new Date(openedAt.getTime() + (2 + Math.floor(random() * 10)) * 60_000);
        const kind = weighted(random(), kinds);
        const certificate = kind === 'code' ? pick(certificates) : undefined;
        const good = certificate ?? pick(goods);
        const outcome =
          kind === 'code' || kind === 'second'
            ? 'accept'
            : kind === 'none'
              ? 'reject'
              : random() < 0.6
                ? 'accept'
                : 'review';
        rows.lots.push({
          id,
          marketId: market.id,
          gateId: market.gates[0]?.id ?? null,
          stallId: market.stalls.length ? pick(market.stalls).id : null,
          plate: pick(plates),
          supplier: pick(suppliers),
          productName: good.productName,
          productCode: good.productCode,
          category: good.category,
          quantity: 20 + Math.floor(random() * 280),
          unit: good.unit,
          noCertificate: kind === 'none',
          status: outcome === 'review' ? 'judged' : 'closed',
          outcome,
          openedAt,
          judgedAt,
        });
        addPapers(rows, { id, kind, certificate, marketId: market.id, openedAt, outcome });
        if (kind === 'none') {
          const status = violationStates[violationCount++ % violationStates.length]!;
          addViolation(rows, { id: `${id}-v`, lotId: id, market, reason: 'MISSING', status, at: judgedAt });
        }
        if (wholesale && i % 9 === 4) rows.tests.push(rapidTest(`${id}-t`, id, 'negative', judgedAt));
      }
    }
  }
  addPositives(rows, markets);

  await db.lot.createMany({ data: rows.lots as never });
  await db.lotDocument.createMany({ data: rows.documents as never });
  await db.scan.createMany({ data: rows.scans as never });
  await db.violation.createMany({ data: rows.violations as never });
  await db.violationEvent.createMany({ data: rows.events as never });
  await db.rapidTest.createMany({ data: rows.tests as never });
  await seedDraw(app, demo, today);
  return rows.lots.length;
}

function weighted<T>(roll: number, table: readonly [T, number][]): T {
  let left = roll;
  for (const [value, weight] of table) {
    if (left < weight) return value;
    left -= weight;
  }
  return table[table.length - 1]![0];
}

/** What the truck showed: a code read at the gate, a paper certificate, a second document, a foreign code, nothing. */
function addPapers(
  rows: Rows,
  lot: {
    id: string;
    kind: Kind;
    certificate: { id: string; code: string } | undefined;
    marketId: number;
    openedAt: Date;
    outcome: string;
  },
) {
  const scan = (codeKind: string, rawText: string, certificateId: string | null, outcome: string) =>
    rows.scans.push({
      id: `${lot.id}-s`,
      lotId: lot.id,
      marketId: lot.marketId,
      source: 'hid',
      rawText,
      codeKind,
      certificateId,
      outcome,
      reasons: outcome === 'accept' ? '[]' : '["UNVERIFIABLE"]',
      response: '{}',
      receivedAt: lot.openedAt,
    });
  if (lot.kind === 'code' && lot.certificate) {
    rows.documents.push({
      id: `${lot.id}-d`,
      lotId: lot.id,
      type: 'code',
      scanId: `${lot.id}-s`,
      certificateId: lot.certificate.id,
    });
    scan('liangzheng', lot.certificate.code, lot.certificate.id, 'accept');
  } else if (lot.kind === 'paper') {
    rows.documents.push({
      id: `${lot.id}-d`,
      lotId: lot.id,
      type: 'paper',
      fields: '{"issuerName":"纸质合格证"}',
    });
  } else if (lot.kind === 'second') {
    rows.documents.push({
      id: `${lot.id}-d`,
      lotId: lot.id,
      type: 'second_document',
      secondKind: 'test_report',
      fields: `{"number":"JC${lot.id.slice(-6)}"}`,
    });
  } else if (lot.kind === 'foreign') {
    rows.documents.push({ id: `${lot.id}-d`, lotId: lot.id, type: 'code', scanId: `${lot.id}-s` });
    scan('foreign_url', `https://trace.example.cn/q?id=${lot.id.slice(-8)}`, null, 'review');
  }
}

function addViolation(
  rows: Rows,
  v: {
    id: string;
    lotId: string;
    market: { id: number; regionCode: string };
    reason: string;
    status: string;
    at: Date;
  },
) {
  rows.violations.push({
    id: v.id,
    lotId: v.lotId,
    marketId: v.market.id,
    regionCode: v.market.regionCode,
    reason: v.reason,
    status: v.status,
    createdAt: v.at,
    updatedAt: v.at,
  });
  rows.events.push({ violationId: v.id, type: 'created', toStatus: 'open', at: v.at });
  if (v.status !== 'open')
    rows.events.push({
      violationId: v.id,
      type: 'status',
      fromStatus: 'open',
      toStatus: v.status,
      note: '演示数据',
      at: new Date(v.at.getTime() + 3_600_000),
    });
}

function rapidTest(id: string, lotId: string, result: string, at: Date, extra: Record<string, unknown> = {}) {
  return {
    id,
    lotId,
    method: 'enzyme_inhibition',
    analyte: '有机磷和氨基甲酸酯类农药',
    sampleCount: 5,
    result,
    testerName: '李检测',
    testedAt: at,
    ...extra,
  };
}

/**
 * Two positives at the wholesale market: one confirmed by the lab (destroyed under supervision, a violation), one
 * cleared by it (released). Each on an accepted lot of its day.
 */
function addPositives(rows: Rows, markets: { id: number; kind: string; regionCode: string }[]) {
  const wholesale = markets.find((m) => m.kind === 'wholesale');
  const accepted = rows.lots.filter((l) => l.marketId === wholesale?.id && l.outcome === 'accept');
  const cases = [
    { lot: accepted[Math.floor(accepted.length * 0.4)], confirmed: true },
    { lot: accepted[Math.floor(accepted.length * 0.75)], confirmed: false },
  ];
  for (const { lot, confirmed } of cases) {
    if (!lot || !wholesale) continue;
    const id = `${lot.id}-positive`;
    const at = new Date((lot.judgedAt as Date).getTime() + 20 * 60_000);
    const retestAt = new Date(at.getTime() + 3 * 3_600_000);
    const violationId = confirmed ? `${id}-v` : null;
    rows.tests.push(
      rapidTest(id, lot.id as string, 'positive', at, {
        retestBy: new Date(at.getTime() + 4 * 3_600_000),
        decision: confirmed ? 'destroyed' : 'released',
        decisionNote: confirmed ? '监督销毁 120 千克' : '实验室复检阴性，解除暂停销售',
        decidedAt: retestAt,
        violationId,
      }),
      rapidTest(`${id}-retest`, lot.id as string, confirmed ? 'positive' : 'negative', retestAt, {
        method: 'lab',
        analyte: '毒死蜳',
        sampleCount: 1,
        retestOfId: id,
        testerName: '长沙市农产品质量检测中心',
      }),
    );
    if (violationId)
      addViolation(rows, {
        id: violationId,
        lotId: lot.id as string,
        market: wholesale,
        reason: 'RAPID_TEST_POSITIVE',
        status: 'confirmed',
        at: retestAt,
      });
  }
}

/** One 双随机 cross-inspection: 株洲's regulator to 长沙's market and 长沙's to 株洲's, as a seeded draw records it. */
async function seedDraw(app: FastifyInstance, demo: DemoLogins, today: string) {
  const db = app.prisma;
  const inspectors = await db.user.findMany({
    where: { username: { in: [demo.users.regulator, demo.users.otherRegulator] } },
    select: { id: true, username: true, regionPrefix: true },
  });
  const changsha = inspectors.find((u) => u.username === demo.users.regulator);
  const zhuzhou = inspectors.find((u) => u.username === demo.users.otherRegulator);
  if (!changsha || !zhuzhou) return;
  const at = localDayStart(addDays(today, -7), app.config.timeZone);
  const drawId = 'demo-draw-1';
  const pairs = [
    { inspectorId: zhuzhou.id, marketId: demo.markets.wholesale, regionCode: '430102' },
    { inspectorId: changsha.id, marketId: demo.markets.supermarket, regionCode: '430211' },
  ];
  await db.inspectionDraw.create({
    data: {
      id: drawId,
      seed: 'demo-2026-亮证互查',
      params: JSON.stringify({ count: 2, kind: 'market', regionPrefix: '43', weightByCredit: false }),
      inspectorPool: JSON.stringify(inspectors.map((u) => ({ id: u.id, regionPrefix: u.regionPrefix }))),
      targetPool: JSON.stringify(
        pairs.map((p) => ({ kind: 'market', marketId: p.marketId, regionCode: p.regionCode })),
      ),
      result: JSON.stringify(pairs),
      actor: 'system:demo',
      at,
      tasks: {
        create: pairs.map((p, i) => ({
          id: `${drawId}-task-${i + 1}`,
          inspectorId: p.inspectorId,
          targetKind: 'market',
          marketId: p.marketId,
          regionCode: p.regionCode,
          status: i === 0 ? 'done' : 'assigned',
          doneAt: i === 0 ? new Date(at.getTime() + 26 * 3_600_000) : null,
        })),
      },
    },
  });
  await db.inspectionFinding.create({
    data: {
      id: `${drawId}-finding-1`,
      taskId: `${drawId}-task-1`,
      compliant: true,
      note: '入场查验记录完整，亮证公示屏正常显示',
      actorId: zhuzhou.id,
      at: new Date(at.getTime() + 26 * 3_600_000),
    },
  });
}
