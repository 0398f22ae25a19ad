import { describe, expect, it } from 'vitest';
import {
  marketEnrolled,
  placeFromUrl,
  placeToUrl,
  type SetupFacts,
  whereSetupStands,
} from '../src/admin/setup-progress.ts';

const none: SetupFacts = {
  regions: [],
  markets: [],
  gates: [],
  stalls: [],
  enrollmentCodes: [],
  devices: [],
};
const region = { code: '430104' };
const market = { id: 7, regionCode: '430104', active: true };
const gate = { id: 21, marketId: 7, active: true };
const stall = { marketId: 7, active: true };

describe('where the first-run wizard resumes', () => {
  it('starts at the region on an empty database', () => {
    expect(whereSetupStands(none)).toEqual({ step: 'region' });
  });

  it('goes on to the market once a region exists', () => {
    expect(whereSetupStands({ ...none, regions: [region] })).toEqual({
      step: 'market',
      regionCode: '430104',
    });
  });

  it('sets up the newest active market: gates, then stalls, then its device', () => {
    const older = { id: 3, regionCode: '430102', active: true };
    const closed = { id: 9, regionCode: '430102', active: false };
    const facts = { ...none, regions: [region], markets: [older, market, closed] };
    expect(whereSetupStands(facts)).toEqual({ step: 'gates', regionCode: '430104', marketId: 7 });
    expect(whereSetupStands({ ...facts, gates: [{ ...gate, active: false }] }).step).toBe('gates');
    expect(whereSetupStands({ ...facts, gates: [gate] }).step).toBe('stalls');
    expect(whereSetupStands({ ...facts, gates: [gate], stalls: [stall] })).toEqual({
      step: 'device',
      regionCode: '430104',
      marketId: 7,
    });
  });

  it('counts the market enrolled by a code or a device at one of its gates, not at another market’s', () => {
    const facts = { ...none, gates: [gate, { id: 30, marketId: 3, active: true }] };
    expect(marketEnrolled(facts, 7)).toBe(false);
    expect(marketEnrolled({ ...facts, enrollmentCodes: [{ gateId: 30 }] }, 7)).toBe(false);
    expect(marketEnrolled({ ...facts, enrollmentCodes: [{ gateId: 21 }] }, 7)).toBe(true);
    expect(marketEnrolled({ ...facts, devices: [{ gateId: 21 }] }, 7)).toBe(true);
  });
});

describe('the step kept in the URL', () => {
  it('round-trips a place', () => {
    const place = { step: 'stalls', regionCode: '430104', marketId: 7 } as const;
    expect(placeFromUrl(new URLSearchParams(placeToUrl(place)))).toEqual(place);
  });

  it.each([[''], ['step=nowhere'], ['step=gates'], ['step=stalls&market=x'], ['step=market&region=43']])(
    'ignores %j and lets the server’s data decide',
    (search) => {
      expect(placeFromUrl(new URLSearchParams(search))).toBeNull();
    },
  );
});
