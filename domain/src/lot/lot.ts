import { z } from 'zod';
import { Category } from '../category/category.ts';
import { Basis } from '../certificate/certificate.ts';
import { ScannedText, SingleLineText } from '../text/text.ts';
import { parseUnit, Unit } from '../unit/unit.ts';

/** A unit as sent: either the canonical `Unit` or a word a person typed (`公斤`, `斤`, `箱` …). */
export const UnitInput = SingleLineText.max(16).transform((word, ctx) => {
  const canonical = Unit.safeParse(word);
  if (canonical.success) return canonical.data;
  const parsed = parseUnit(word);
  if (parsed.ok) return parsed.unit;
  ctx.addIssue({ code: 'custom', message: `unknown unit: ${word}` });
  return z.NEVER;
});

/** Largest quantity accepted in one message: 10 million of any unit (10 000 t in kg). */
const maxQuantity = 10_000_000;
export const Quantity = z.number().positive().max(maxQuantity);

/** What a vendor declares at the gate for one lot (one product on one truck). */
export const LotDeclaration = z.strictObject({
  productName: SingleLineText.trim().min(1).max(40),
  productCode: z.number().int().nonnegative().max(999_999).optional(),
  category: Category,
  quantity: Quantity,
  unit: UnitInput,
});
export type LotDeclaration = z.output<typeof LotDeclaration>;

/**
 * 承诺依据 words accepted from paper, both the 2026 template and legacy wording:
 * 自我承诺 and 内部质量控制 → quality_control; 自我检测 → self_tested; 委托检测 → commissioned_test.
 */
const basisWords: Record<string, Basis> = {
  质量安全控制符合要求: 'quality_control',
  自我承诺: 'quality_control',
  内部质量控制: 'quality_control',
  自行检测合格: 'self_tested',
  自我检测: 'self_tested',
  委托检测合格: 'commissioned_test',
  委托检测: 'commissioned_test',
};

export const BasisInput = SingleLineText.max(20).transform((word, ctx) => {
  const trimmed = word.trim();
  const canonical = Basis.safeParse(trimmed);
  if (canonical.success) return canonical.data;
  const mapped = basisWords[trimmed];
  if (mapped) return mapped;
  ctx.addIssue({ code: 'custom', message: `unknown basis: ${word}` });
  return z.NEVER;
});

/** The fields of a paper (printed or handwritten) certificate, as typed in at the gate. */
export const PaperFields = z.strictObject({
  productName: SingleLineText.trim().min(1).max(40),
  quantity: Quantity,
  unit: UnitInput,
  origin: SingleLineText.trim().min(1).max(80),
  issuerName: SingleLineText.trim().min(1).max(80),
  contact: SingleLineText.trim().min(1).max(40),
  issuedOn: z.iso.date(),
  basis: BasisInput,
});
export type PaperFields = z.output<typeof PaperFields>;

/** Other quality proofs (SAMR Order 81): quarantine, meat inspection, test report, customs. */
export const secondDocumentKinds = [
  'animal_quarantine',
  'meat_inspection',
  'test_report',
  'customs',
] as const;
export const SecondDocumentKind = z.enum(secondDocumentKinds);
export type SecondDocumentKind = z.infer<typeof SecondDocumentKind>;

export const PresentedDocument = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('code'),
    text: ScannedText.min(1).max(2048),
    scanId: z.uuid().optional(),
  }),
  z.strictObject({ type: z.literal('paper'), fields: PaperFields }),
  z.strictObject({
    type: z.literal('second_document'),
    kind: SecondDocumentKind,
    number: SingleLineText.trim().min(1).max(64),
  }),
]);
export type PresentedDocument = z.output<typeof PresentedDocument>;

/** A lot and what was shown for it; at most 32 documents, more is a scanning accident. */
export const LotPresentation = z.strictObject({
  lot: LotDeclaration,
  documents: z.array(PresentedDocument).max(32),
});
export type LotPresentation = z.output<typeof LotPresentation>;
