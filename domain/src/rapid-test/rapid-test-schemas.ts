import { z } from 'zod';
import { PhotoBase64 } from '../lot/photo.ts';
import { EntityId } from '../lot/scan.ts';
import { MultiLineText, SingleLineText } from '../text/text.ts';
import { CreditGrade } from '../trust/snapshot.ts';

/** 酶抑制法 (pesticides), 胶体金 strips (veterinary drugs), or a laboratory method. */
export const RapidTestMethod = z.enum(['enzyme_inhibition', 'colloidal_gold', 'lab']);
export type RapidTestMethod = z.infer<typeof RapidTestMethod>;

/** The methods a retest may not use: the law asks for a non-rapid method. */
export const rapidMethods: readonly RapidTestMethod[] = ['enzyme_inhibition', 'colloidal_gold'];

export const methodNames: Record<RapidTestMethod, string> = {
  enzyme_inhibition: '酶抑制法',
  colloidal_gold: '胶体金',
  lab: '实验室检测',
};

export const RapidTestResult = z.enum(['negative', 'positive']);
export type RapidTestResult = z.infer<typeof RapidTestResult>;

/** What happens to held goods: released for sale, destroyed under supervision, or returned to the supplier. */
export const RapidTestDecision = z.enum(['released', 'destroyed', 'returned']);
export type RapidTestDecision = z.infer<typeof RapidTestDecision>;

export const decisionNames: Record<RapidTestDecision, string> = {
  released: '解除扣留，恢复销售',
  destroyed: '监督销毁',
  returned: '退回供货方',
};

const Analyte = SingleLineText.min(1).max(60);
const TesterName = SingleLineText.min(1).max(60);

/** A sample taken at the gate from a lot, or at the stall from an inventory item (which names its lot). */
export const RapidTestInput = z
  .strictObject({
    lotId: EntityId.optional(),
    inventoryItemId: SingleLineText.min(1).max(200).optional(),
    method: RapidTestMethod,
    analyte: Analyte,
    sampleCount: z.number().int().min(1).max(50),
    result: RapidTestResult,
    testerName: TesterName,
    /** the strip (or the lab report) photographed: JPEG, PNG or WebP */
    photo: PhotoBase64,
  })
  .refine((input) => (input.lotId === undefined) !== (input.inventoryItemId === undefined), {
    message: '须指定批次或库存之一 / name exactly one of lotId and inventoryItemId',
    path: ['lotId'],
  });
export type RapidTestInput = z.infer<typeof RapidTestInput>;

/** The retest a vendor may ask for within the window; the method is checked by the rule, with its own code. */
export const RetestInput = z.strictObject({
  method: RapidTestMethod,
  result: RapidTestResult,
  testerName: TesterName,
  photo: PhotoBase64.optional(),
});
export type RetestInput = z.infer<typeof RetestInput>;

export const DecisionInput = z.strictObject({
  decision: RapidTestDecision,
  note: MultiLineText.max(500).default(''),
});
export type DecisionInput = z.infer<typeof DecisionInput>;

/** Where a positive stands: awaiting its retest, cleared by a negative retest, confirmed, or decided. */
export const HoldStage = z.enum(['awaiting_retest', 'cleared', 'confirmed', 'decided']);
export type HoldStage = z.infer<typeof HoldStage>;

export const RapidTestView = z.object({
  id: z.string(),
  lotId: z.string(),
  marketId: z.number(),
  stallId: z.number().nullable(),
  inventoryItemId: z.string().nullable(),
  productName: z.string(),
  method: RapidTestMethod,
  analyte: z.string(),
  sampleCount: z.number(),
  result: RapidTestResult,
  testerName: z.string(),
  hasPhoto: z.boolean(),
  testedAt: z.string(),
  retestOfId: z.string().nullable(),
  /** positive first tests only */
  retestBy: z.string().nullable(),
  stage: HoldStage.nullable(),
  retest: z
    .object({ id: z.string(), method: RapidTestMethod, result: RapidTestResult, testedAt: z.string() })
    .nullable(),
  decision: RapidTestDecision.nullable(),
  decisionNote: z.string(),
  decidedAt: z.string().nullable(),
  violationId: z.string().nullable(),
  /** certificates voided when the positive was confirmed */
  voidedCertificates: z.array(z.string()),
});
export type RapidTestView = z.infer<typeof RapidTestView>;

export const RapidTestQuery = z.strictObject({
  marketId: z.coerce.number().int().positive(),
  /** only positives still holding goods (awaiting retest, cleared or confirmed, not decided) */
  held: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** What the market posts publicly (亮证公示): no tester names, no photos, no internal ids beyond the test's. */
export const PublicRapidTest = z.object({
  id: z.string(),
  productName: z.string(),
  stallNumber: z.string().nullable(),
  method: RapidTestMethod,
  methodName: z.string(),
  analyte: z.string(),
  result: RapidTestResult,
  testedAt: z.string(),
  /** for positives: the retest's result and what became of the goods, once known */
  retestResult: RapidTestResult.nullable(),
  decision: RapidTestDecision.nullable(),
  decisionName: z.string().nullable(),
});
export type PublicRapidTest = z.infer<typeof PublicRapidTest>;

export const PublicRapidTestList = z.object({
  marketId: z.number(),
  marketName: z.string(),
  results: z.array(PublicRapidTest),
});

export const SamplingQuery = z.strictObject({
  count: z.coerce.number().int().min(1).max(50).default(5),
  /** the same seed over the same lots draws the same sample; defaults to the market and the day */
  seed: SingleLineText.min(1).max(64).optional(),
});

export const SamplingSuggestionView = z.object({
  lotId: z.string(),
  productName: z.string(),
  issuerName: z.string().nullable(),
  creditGrade: CreditGrade.nullable(),
  weight: z.number(),
  reasons: z.array(z.string()),
});

export const SamplingAnswer = z.object({
  seed: z.string(),
  suggestions: z.array(SamplingSuggestionView),
});
