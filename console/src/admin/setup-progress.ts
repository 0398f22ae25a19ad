import { RegionCode } from '@liangzheng/domain/certificate/certificate';
import { z } from 'zod';

export const setupSteps = ['region', 'market', 'gates', 'stalls', 'device'] as const;
export type SetupStep = (typeof setupSteps)[number];

/** Where the first-run wizard stands: the step, and the region and market it is setting up. */
export interface SetupPlace {
  step: SetupStep;
  regionCode?: string;
  marketId?: number;
}

/** What the server already holds, as the admin's registry lists give it. */
export interface SetupFacts {
  regions: readonly { code: string }[];
  markets: readonly { id: number; regionCode: string; active: boolean }[];
  gates: readonly { id: number; marketId: number; active: boolean }[];
  stalls: readonly { marketId: number; active: boolean }[];
  enrollmentCodes: readonly { gateId: number }[];
  devices: readonly { gateId: number }[];
}

const UrlPlace = z.object({
  step: z.enum(setupSteps),
  region: RegionCode.optional(),
  market: z.coerce.number().int().positive().optional(),
});

/** The place kept in the URL (`?step=gates&market=3`), or null when the URL names none or names it wrongly. */
export function placeFromUrl(search: URLSearchParams): SetupPlace | null {
  const parsed = UrlPlace.safeParse(Object.fromEntries(search));
  if (!parsed.success) return null;
  const { step, region, market } = parsed.data;
  if ((step === 'gates' || step === 'stalls' || step === 'device') && market === undefined) return null;
  return { step, regionCode: region, marketId: market };
}

/** The URL's search for a place, so a reload or a shared link opens the same step. */
export function placeToUrl(place: SetupPlace): Record<string, string> {
  return {
    step: place.step,
    ...(place.regionCode ? { region: place.regionCode } : {}),
    ...(place.marketId !== undefined ? { market: String(place.marketId) } : {}),
  };
}

/**
 * The first step not yet done, from what the server holds: no region yet → region; no market → market; the newest
 * active market without gates → gates, without stalls → stalls; else its gate device. A reload without the URL's
 * step, or a second admin, resumes here.
 */
export function whereSetupStands(facts: SetupFacts): SetupPlace {
  if (facts.regions.length === 0) return { step: 'region' };
  const markets = facts.markets.filter((m) => m.active);
  const market = markets.reduce<(typeof markets)[number] | undefined>(
    (newest, m) => (newest === undefined || m.id > newest.id ? m : newest),
    undefined,
  );
  if (market === undefined) return { step: 'market', regionCode: facts.regions.at(-1)!.code };
  const place = { regionCode: market.regionCode, marketId: market.id };
  if (!facts.gates.some((g) => g.marketId === market.id && g.active)) return { step: 'gates', ...place };
  if (!facts.stalls.some((s) => s.marketId === market.id && s.active)) return { step: 'stalls', ...place };
  return { step: 'device', ...place };
}

/** Whether a gate of the market already has an enrolment code or an enrolled device: the wizard's last step done. */
export function marketEnrolled(facts: SetupFacts, marketId: number | undefined): boolean {
  const gateIds = new Set(facts.gates.filter((g) => g.marketId === marketId).map((g) => g.id));
  return (
    facts.enrollmentCodes.some((c) => gateIds.has(c.gateId)) ||
    facts.devices.some((d) => gateIds.has(d.gateId))
  );
}
