import type { TestApp } from '../helper.ts';

/**
 * Who is asking. `w_*` act in 长沙马王堆 (the wholesale market, 芙蓉区 430102) and `s_*` in 株洲天元 (430211);
 * coop/farm are two producers; cs_reg covers 长沙 (4301), zz_reg 株洲 (4302). Targets in the rows live on the
 * 长沙 side, so the `s_*`, farm and zz_reg actors must never see them.
 */
export const actors = [
  'public',
  'device',
  'admin',
  'w_admin',
  'w_gate',
  'w_vendor',
  'coop',
  'cs_reg',
  's_admin',
  's_gate',
  's_vendor',
  'farm',
  'zz_reg',
] as const;
export type Actor = (typeof actors)[number];

export const actorUsers: Record<Exclude<Actor, 'public' | 'device'>, string> = {
  admin: 'admin',
  w_admin: 'mawangdui_admin',
  w_gate: 'mawangdui_gate',
  w_vendor: 'vendor_a01',
  coop: 'lvyuan_coop',
  cs_reg: 'changsha_regulator',
  s_admin: 'tianyuan_admin',
  s_gate: 'tianyuan_gate',
  s_vendor: 'vendor_s01',
  farm: 'jinyang_farm',
  zz_reg: 'zhuzhou_regulator',
};

/**
 * ok: 2xx and the target is in the answer; without: 2xx and the target is NOT in it (a list that must not leak);
 * hidden: 404 (out of scope, existence not revealed); denied: 401/403.
 */
export type Outcome = 'ok' | 'without' | 'hidden' | 'denied';

/** Ids of the demo world the rows aim at, plus a way to act behind the API for set-up. */
export interface MatrixContext {
  t: TestApp;
  ids: {
    wholesale: number;
    supermarket: number;
    eastGate: number;
    stallA01: number;
    zhang: number;
    coop: number;
    eggs: number;
    repacker: number;
    coopCertificate: string;
    pepperCertificate: string;
    gateUser: number;
    device: string;
  };
  /** unique per call, for names and codes that must not collide */
  next(): number;
  login(actor: Actor): Promise<Record<string, string>>;
}

export interface MatrixRow {
  /** `METHOD /path/{param}` as in the OpenAPI document, to check every route is walked */
  route: string;
  /** runs before each actor's request; its result feeds url/body (fresh targets for state changes) */
  prepare?: (ctx: MatrixContext, actor: Actor) => Promise<Record<string, unknown>>;
  url: (ctx: MatrixContext, prepared: Record<string, unknown>) => string;
  body?: (ctx: MatrixContext, prepared: Record<string, unknown>) => unknown;
  /**
   * the body field through which this row's write names another row (stall → vendor, user → market …); every
   * reference a registry write can carry has a row, where the 株洲 actors must not reach the 长沙 row it names
   */
  reference?: string;
  /** for `ok`/`without`: does the answer contain the target? */
  sees?: (body: unknown, ctx: MatrixContext) => boolean;
  /** replaces the actor's session headers (e.g. a fresh session for logout) */
  headers?: (
    ctx: MatrixContext,
    actor: Actor,
    prepared: Record<string, unknown>,
  ) => Record<string, string> | undefined;
  expect: Record<Actor, Outcome>;
}

/** Everyone not listed is denied; public is always denied unless listed. */
export function outcomes(spec: Partial<Record<Outcome, Actor[]>>): Record<Actor, Outcome> {
  const result = Object.fromEntries(actors.map((a) => [a, 'denied'])) as Record<Actor, Outcome>;
  for (const [outcome, list] of Object.entries(spec) as [Outcome, Actor[]][]) {
    for (const actor of list) result[actor] = outcome;
  }
  return result;
}

export const allUsers: Actor[] = actors.filter((a) => a !== 'public' && a !== 'device');
