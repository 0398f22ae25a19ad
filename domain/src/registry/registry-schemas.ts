import { z } from 'zod';
import { RegionCode } from '../certificate/certificate.ts';
import { Role } from '../identity/principal.ts';
import { RegionLevel } from '../subject/region-code.ts';
import { SingleLineText } from '../text/text.ts';
import { CreditGrade } from '../trust/snapshot.ts';

export const IdParam = z.strictObject({ id: z.coerce.number().int().positive() });
export const StringIdParam = z.strictObject({ id: SingleLineText.min(1).max(64) });
export const Ok = z.object({ ok: z.literal(true) });

export const Region = z.object({
  code: RegionCode,
  name: z.string(),
  level: RegionLevel,
  parentCode: RegionCode.nullable(),
  /** a deactivated region takes no new market; it is deactivated only once none of its markets is active */
  active: z.boolean(),
});
export const RegionParams = z.strictObject({ code: RegionCode });
export const RegionCreate = z.strictObject({
  code: RegionCode,
  name: SingleLineText.min(1).max(40),
  level: RegionLevel,
  parentCode: RegionCode.nullable().default(null),
});
export const RegionUpdate = z.strictObject({ name: SingleLineText.min(1).max(40) });

export const MarketKind = z.enum(['wholesale', 'supermarket']);
export const Market = z.object({
  id: z.number(),
  name: z.string(),
  kind: MarketKind,
  regionCode: RegionCode,
  openLotLimitMinutes: z.number(),
  active: z.boolean(),
});
export const MarketCreate = z.strictObject({
  name: SingleLineText.min(1).max(80),
  kind: MarketKind,
  regionCode: RegionCode,
  openLotLimitMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(120),
});
export const MarketUpdate = z.strictObject({
  name: SingleLineText.min(1).max(80).optional(),
  openLotLimitMinutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .optional(),
});

export const Gate = z.object({ id: z.number(), marketId: z.number(), name: z.string(), active: z.boolean() });
export const GateCreate = z.strictObject({
  marketId: z.number().int().positive(),
  name: SingleLineText.min(1).max(40),
});
export const GateUpdate = z.strictObject({ name: SingleLineText.min(1).max(40) });

export const Stall = z.object({
  id: z.number(),
  marketId: z.number(),
  number: z.string(),
  vendorId: z.number().nullable(),
  active: z.boolean(),
});
export const StallCreate = z.strictObject({
  marketId: z.number().int().positive(),
  number: SingleLineText.min(1).max(20),
  vendorId: z.number().int().positive().nullable().default(null),
});
export const StallUpdate = z.strictObject({ vendorId: z.number().int().positive().nullable() });

export const Vendor = z.object({
  id: z.number(),
  name: z.string(),
  subjectId: z.string(),
  contact: z.string(),
  address: z.string(),
  productTypes: z.string(),
  supplyChannel: z.string(),
  origin: z.string(),
  creditGrade: CreditGrade,
  issuerId: z.number().nullable(),
  active: z.boolean(),
  leftAt: z.string().nullable(),
});
const vendorFields = {
  name: SingleLineText.min(1).max(80),
  subjectId: SingleLineText.min(6).max(30),
  contact: SingleLineText.min(3).max(40),
  address: SingleLineText.max(120).default(''),
  productTypes: SingleLineText.max(120).default(''),
  supplyChannel: SingleLineText.max(120).default(''),
  origin: SingleLineText.max(80).default(''),
};
/** A vendor is filed by the market whose stall it takes. */
export const VendorCreate = z.strictObject({ ...vendorFields, stallId: z.number().int().positive() });
export const VendorUpdate = z.strictObject({
  contact: vendorFields.contact.optional(),
  address: SingleLineText.max(120).optional(),
  productTypes: SingleLineText.max(120).optional(),
  supplyChannel: SingleLineText.max(120).optional(),
  origin: SingleLineText.max(80).optional(),
  creditGrade: CreditGrade.optional(),
});

export const IssuerKind = z.enum(['producer', 'cooperative', 'repacker']);
export const Issuer = z.object({
  id: z.number(),
  kind: IssuerKind,
  name: z.string(),
  subjectId: z.string(),
  subjectIdKind: z.enum(['uscc', 'other']),
  contact: z.string(),
  regionCode: RegionCode,
  creditGrade: CreditGrade,
  active: z.boolean(),
});
export const IssuerCreate = z.strictObject({
  kind: IssuerKind,
  name: SingleLineText.min(1).max(80),
  /** a 统一社会信用代码; farm households without one use subjectIdKind 'other' (ID number) */
  subjectId: SingleLineText.min(6).max(30),
  subjectIdKind: z.enum(['uscc', 'other']).default('uscc'),
  contact: SingleLineText.min(3).max(40),
  regionCode: RegionCode,
  creditGrade: CreditGrade.default('B'),
});
export const IssuerUpdate = z.strictObject({
  name: SingleLineText.min(1).max(80).optional(),
  contact: SingleLineText.min(3).max(40).optional(),
  creditGrade: CreditGrade.optional(),
});

export const IssuerKey = z.object({
  id: z.string(),
  keyId: z.string(),
  issuerId: z.number(),
  publicKey: z.string(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  rotateAt: z.string().nullable(),
  status: z.enum(['active', 'retired', 'compromised']),
});

export const Device = z.object({
  id: z.string(),
  gateId: z.number(),
  name: z.string(),
  revoked: z.boolean(),
  lastSeenAt: z.string().nullable(),
});
export const DeviceCreate = z.strictObject({
  gateId: z.number().int().positive(),
  name: SingleLineText.min(1).max(40),
});

export const User = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  marketId: z.number().nullable(),
  stallId: z.number().nullable(),
  issuerId: z.number().nullable(),
  regionPrefix: z.string().nullable(),
  active: z.boolean(),
});
export const UserCreate = z.strictObject({
  username: z.string().regex(/^[a-z0-9_.-]{3,32}$/, 'user names are 3–32 of a-z 0-9 _ . -'),
  displayName: SingleLineText.min(1).max(40),
  password: SingleLineText.min(10, 'passwords are at least 10 characters').max(256),
  role: Role,
  marketId: z.number().int().positive().nullable().default(null),
  stallId: z.number().int().positive().nullable().default(null),
  issuerId: z.number().int().positive().nullable().default(null),
  regionPrefix: z
    .string()
    .regex(/^(\d{2}|\d{4}|\d{6})$/, 'a region prefix is 2, 4 or 6 digits')
    .nullable()
    .default(null),
});
export const UserUpdate = z.strictObject({
  displayName: SingleLineText.min(1).max(40).optional(),
  password: SingleLineText.min(10).max(256).optional(),
});

/**
 * A one-time enrolment code, as typed at the agent: ten Crockford base-32 characters, shown as `XXXXX-XXXXX`.
 * Case, spaces and dashes are ignored, and the letters people misread (I, L, O) are read as 1 and 0.
 */
export const EnrollmentCodeText = SingleLineText.max(40)
  .transform((text) => text.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0'))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{10}$/, 'ten characters of 0-9 and A-Z'));

export const EnrollmentCodeCreate = z.strictObject({
  gateId: z.number().int().positive(),
  /** the device's name once enrolled */
  name: SingleLineText.min(1).max(40),
  validMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
});
/** A code as the admin screen lists it; `id` is the code's hash (the code itself is shown once). */
export const EnrollmentCode = z.object({
  id: z.string(),
  gateId: z.number(),
  name: z.string(),
  expiresAt: z.string(),
  status: z.enum(['pending', 'used', 'expired', 'revoked']),
  deviceId: z.string().nullable(),
});
export const IssuedEnrollmentCode = EnrollmentCode.extend({
  code: z.string().describe('shown once; only its SHA-256 is stored'),
  /** the same code as a QR (SVG), for the admin screen to show and the agent's camera to read */
  qrSvg: z.string(),
});
export const EnrollRequest = z.strictObject({ code: EnrollmentCodeText });
/** What the agent writes into its configuration. */
export const Enrolled = z.object({
  deviceId: z.string(),
  gateId: z.number(),
  token: z.string(),
  /** the platform root key that signs trust snapshots, so the agent trusts this server's snapshots */
  rootPublicKey: z.string(),
});
