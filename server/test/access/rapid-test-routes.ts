import { randomUUID } from 'node:crypto';
import { arrivedLot, tinyPngBase64 } from '../rapid-test/rapid-test-fixture.ts';
import { type MatrixContext, type MatrixRow, outcomes } from './access-table.ts';

/**
 * 快检 (docs/rapid-test.md) in the role × scope matrix. Targets are lots at 马王堆: its staff record and decide,
 * 长沙's regulator reads, 天元's staff and 株洲's regulator get a 404, and anyone reads the public board.
 */
const hour = 60 * 60 * 1000;

/** A positive first test behind the API; `lapsed` puts its retest window in the past, so it can be decided. */
async function positiveTest(ctx: MatrixContext, lapsed = false): Promise<{ id: string }> {
  const { lotId } = await arrivedLot(ctx.t);
  const now = ctx.t.clock.now().getTime();
  const testedAt = new Date(lapsed ? now - 5 * hour : now);
  const id = randomUUID();
  await ctx.t.prisma.rapidTest.create({
    data: {
      id,
      lotId,
      method: 'enzyme_inhibition',
      analyte: '有机磷',
      sampleCount: 5,
      result: 'positive',
      testerName: '矩阵',
      testedAt,
      retestBy: new Date(testedAt.getTime() + 4 * hour),
    },
  });
  return { id };
}

const hasId = (id: unknown) => (body: unknown) => JSON.stringify(body).includes(String(id));
let listed: { id: string } | undefined;
const listedTest = async (ctx: MatrixContext) => {
  listed ??= await positiveTest(ctx);
  return listed;
};

/** Market staff write; 天元's staff do not find 马王堆's tests. */
const writers = outcomes({ ok: ['admin', 'w_admin', 'w_gate'], hidden: ['s_admin', 's_gate'] });
/** Staff and the region's regulator read. */
const readers = outcomes({
  ok: ['admin', 'w_admin', 'w_gate', 'cs_reg'],
  hidden: ['s_admin', 's_gate', 'zz_reg'],
});

export const rapidTestRoutes: MatrixRow[] = [
  {
    route: 'POST /api/v1/rapid-tests',
    prepare: async (ctx) => arrivedLot(ctx.t),
    url: () => '/api/v1/rapid-tests',
    body: (_ctx, p) => ({
      lotId: p.lotId,
      method: 'colloidal_gold',
      analyte: '克伦特罗',
      sampleCount: 3,
      result: 'negative',
      testerName: '矩阵',
      photo: tinyPngBase64(),
    }),
    sees: (body, _ctx) => (body as { result?: string }).result === 'negative',
    expect: writers,
  },
  {
    route: 'GET /api/v1/rapid-tests',
    prepare: listedTest,
    url: (ctx) => `/api/v1/rapid-tests?marketId=${ctx.ids.wholesale}`,
    sees: (body) => listed !== undefined && hasId(listed.id)(body),
    expect: readers,
  },
  {
    route: 'GET /api/v1/rapid-tests/{id}',
    prepare: listedTest,
    url: (_ctx, p) => `/api/v1/rapid-tests/${p.id}`,
    expect: readers,
  },
  {
    route: 'POST /api/v1/rapid-tests/{id}/retest',
    prepare: (ctx) => positiveTest(ctx),
    url: (_ctx, p) => `/api/v1/rapid-tests/${p.id}/retest`,
    body: () => ({ method: 'lab', result: 'negative', testerName: '化验室' }),
    expect: writers,
  },
  {
    route: 'POST /api/v1/rapid-tests/{id}/decision',
    prepare: (ctx) => positiveTest(ctx, true),
    url: (_ctx, p) => `/api/v1/rapid-tests/${p.id}/decision`,
    body: () => ({ decision: 'destroyed', note: '监督销毁' }),
    expect: writers,
  },
  {
    route: 'GET /api/v1/markets/{id}/sampling-suggestions',
    url: (ctx) => `/api/v1/markets/${ctx.ids.wholesale}/sampling-suggestions?count=3`,
    expect: readers,
  },
  {
    route: 'GET /api/v1/public/markets/{id}/rapid-tests',
    prepare: listedTest,
    url: (ctx) => `/api/v1/public/markets/${ctx.ids.wholesale}/rapid-tests`,
    sees: (body) => listed !== undefined && hasId(listed.id)(body),
    expect: Object.fromEntries(Object.keys(readers).map((actor) => [actor, 'ok'])) as MatrixRow['expect'],
  },
];
