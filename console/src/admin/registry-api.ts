import type {
  Device,
  EnrollmentCode,
  EnrollmentCodeCreate,
  Gate,
  GateCreate,
  GateUpdate,
  IssuedEnrollmentCode,
  Issuer,
  Market,
  MarketCreate,
  MarketUpdate,
  Region,
  RegionCreate,
  RegionUpdate,
  Stall,
  StallCreate,
  StallUpdate,
  User,
  UserCreate,
  UserUpdate,
} from '@liangzheng/domain/registry/registry-schemas';
import type { z } from 'zod';
import type { ApiResult } from '../api/api.ts';

export type RegionView = z.infer<typeof Region>;
export type RegionInput = z.input<typeof RegionCreate>;
export type MarketView = z.infer<typeof Market>;
export type MarketInput = z.input<typeof MarketCreate>;
export type GateRow = z.infer<typeof Gate>;
export type StallView = z.infer<typeof Stall>;
export type StallInput = z.input<typeof StallCreate>;
export type UserView = z.infer<typeof User>;
export type UserInput = z.input<typeof UserCreate>;
export type DeviceView = z.infer<typeof Device>;
export type EnrollmentCodeView = z.infer<typeof EnrollmentCode>;
export type IssuedCode = z.infer<typeof IssuedEnrollmentCode>;
export type IssuerView = z.infer<typeof Issuer>;

/** The HTTP verbs the registry calls are made of, from `createApi`. */
export interface Verbs {
  get<T>(path: string): Promise<ApiResult<T>>;
  post<T>(path: string, body?: unknown): Promise<ApiResult<T>>;
  patch<T>(path: string, body: unknown): Promise<ApiResult<T>>;
}

/**
 * The registry routes the admin screens use (server/src/registry): list, create, edit and deactivate regions,
 * markets, gates, stalls and users; devices and their enrolment codes. The server scopes every answer to the caller.
 */
export function registryCalls({ get, post, patch }: Verbs) {
  return {
    regions: () => get<RegionView[]>('/api/v1/regions'),
    createRegion: (body: RegionInput) => post<RegionView>('/api/v1/regions', body),
    updateRegion: (code: string, body: z.input<typeof RegionUpdate>) =>
      patch<RegionView>(`/api/v1/regions/${code}`, body),
    deactivateRegion: (code: string) => post<RegionView>(`/api/v1/regions/${code}/deactivate`),
    markets: () => get<MarketView[]>('/api/v1/markets'),
    createMarket: (body: MarketInput) => post<MarketView>('/api/v1/markets', body),
    updateMarket: (id: number, body: z.input<typeof MarketUpdate>) =>
      patch<MarketView>(`/api/v1/markets/${id}`, body),
    deactivateMarket: (id: number) => post<MarketView>(`/api/v1/markets/${id}/deactivate`),
    gates: () => get<GateRow[]>('/api/v1/gates'),
    createGate: (body: z.input<typeof GateCreate>) => post<GateRow>('/api/v1/gates', body),
    updateGate: (id: number, body: z.input<typeof GateUpdate>) => patch<GateRow>(`/api/v1/gates/${id}`, body),
    deactivateGate: (id: number) => post<GateRow>(`/api/v1/gates/${id}/deactivate`),
    stalls: () => get<StallView[]>('/api/v1/stalls'),
    createStall: (body: StallInput) => post<StallView>('/api/v1/stalls', body),
    updateStall: (id: number, body: z.input<typeof StallUpdate>) =>
      patch<StallView>(`/api/v1/stalls/${id}`, body),
    deactivateStall: (id: number) => post<StallView>(`/api/v1/stalls/${id}/deactivate`),
    users: () => get<UserView[]>('/api/v1/users'),
    createUser: (body: UserInput) => post<UserView>('/api/v1/users', body),
    updateUser: (id: number, body: z.input<typeof UserUpdate>) =>
      patch<UserView>(`/api/v1/users/${id}`, body),
    deactivateUser: (id: number) => post<UserView>(`/api/v1/users/${id}/deactivate`),
    /** the producers a producer login can act for */
    issuers: () => get<IssuerView[]>('/api/v1/issuers'),
    devices: () => get<DeviceView[]>('/api/v1/devices'),
    revokeDevice: (id: string) => post<DeviceView>(`/api/v1/devices/${encodeURIComponent(id)}/revoke`),
    enrollmentCodes: () => get<EnrollmentCodeView[]>('/api/v1/devices/enrollment-codes'),
    createEnrollmentCode: (body: z.input<typeof EnrollmentCodeCreate>) =>
      post<IssuedCode>('/api/v1/devices/enrollment-codes', body),
    revokeEnrollmentCode: (id: string) =>
      post<EnrollmentCodeView>(`/api/v1/devices/enrollment-codes/${encodeURIComponent(id)}/revoke`),
  };
}
