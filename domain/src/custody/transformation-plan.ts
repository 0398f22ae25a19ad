import type { Category } from '../category/category.ts';
import type { Basis } from '../certificate/certificate.ts';
import { comparableUnits, toMilli, type Unit } from '../unit/unit.ts';
import type { CustodyRules } from './custody-rules.ts';

/** The code has room for this many parents; a transformation may draw on at most this many certificates. */
export const maxSourceCertificates = 8;

import type { TransformationKind } from './custody-schemas.ts';

/** One inventory item offered as an input, as the holder's stall sees it. */
export interface SourceItem {
  itemId: string;
  certificateId: string;
  productCode: number;
  productName: string;
  category: Category;
  unit: Unit;
  /** received − drawn, in `unit` */
  left: number;
  /** held (stop-sale), or its certificate is void */
  held: boolean;
  originRegion: string;
  originText: string;
  basis: Basis;
  /** its certificate was itself made partly from unverified sources, so the flag travels down; absent: false */
  unverifiedSources?: boolean;
}

/** Goods the vendor holds without a verifiable certificate (paper, another platform's code), as declared. */
export interface UnverifiedInput {
  quantity: number;
  unit: Unit;
}

export interface PlannedInput {
  source: SourceItem;
  quantity: number;
}

export interface OutputRequest {
  productCode?: number;
  productName?: string;
  quantity: number;
  /** defaults to the first input's unit */
  unit?: Unit;
}

export interface CatalogueProduct {
  name: string;
  category: Category;
}

export type CustodyRefusalCode =
  | 'INVALID_QUANTITY'
  | 'DUPLICATE_INPUT'
  | 'UNIT_MISMATCH'
  | 'CATEGORY_MISMATCH'
  | 'PRODUCT_MISMATCH'
  | 'UNKNOWN_PRODUCT'
  | 'TOO_MANY_SOURCES'
  | 'UNVERIFIED_IN_RESALE'
  | 'ITEM_HELD'
  | 'QUANTITY_EXCEEDED'
  | 'LOSS_EXCEEDS_LIMIT';

export interface CustodyRefusal {
  code: CustodyRefusalCode;
  message: string;
}

/** What one output draws from one input item, in the item's unit. */
export interface PlannedDraw {
  itemId: string;
  certificateId: string;
  quantity: number;
}

export interface PlannedOutput {
  productCode: number;
  productName: string;
  category: Category;
  quantity: number;
  unit: Unit;
  originRegion: string;
  originText: string;
  basis: Basis;
  /** per source certificate, in its unit: what the signed code lists as parents */
  parents: { certificateId: string; quantity: number }[];
  draws: PlannedDraw[];
}

export interface TransformationPlan {
  /** taken, made and loss are stated in the first output's unit */
  unit: Unit;
  taken: number;
  made: number;
  loss: number;
  /** an input was unverified, or came from goods that were: every output goes to review at a gate */
  unverifiedSources: boolean;
  outputs: PlannedOutput[];
}

export type PlanResult = { ok: true; plan: TransformationPlan } | { ok: false; refusal: CustodyRefusal };

export interface TransformationInput {
  kind: TransformationKind;
  inputs: readonly PlannedInput[];
  /** counted in what is taken, drawn from no inventory; a repack only */
  unverified?: readonly UnverifiedInput[];
  outputs: readonly OutputRequest[];
  rules: CustodyRules;
  products: (code: number) => CatalogueProduct | undefined;
}

class Refused {
  constructor(readonly refusal: CustodyRefusal) {}
}
const refuse = (code: CustodyRefusalCode, message: string): never => {
  throw new Refused({ code, message });
};

const milliPer = (unit: Unit) => toMilli(1, unit);
const fromMilli = (milli: number, unit: Unit) => milli / milliPer(unit);
const positiveFinite = (quantity: number) => Number.isFinite(quantity) && quantity > 0;

/**
 * Checks a repack or resale against the custody rules and works out every output: product, origin and basis
 * derived from the sources (never typed), conservation with loss, and what each output draws from each input.
 * Pure: the server applies the plan in one transaction; the same function answers the stall screen's preview.
 */
export function planTransformation(input: TransformationInput): PlanResult {
  try {
    return { ok: true, plan: plan(input) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, refusal: e.refusal };
    throw e;
  }
}

function plan({
  kind,
  inputs,
  unverified = [],
  outputs,
  rules,
  products,
}: TransformationInput): TransformationPlan {
  if (inputs.length === 0 || outputs.length === 0)
    refuse('INVALID_QUANTITY', 'a transformation takes at least one input and makes at least one output');
  checkInputs(inputs);
  const first = inputs[0]!.source;
  checkUnverified(kind, unverified, first.unit);
  const category = first.category;
  const sourceProducts = new Set(inputs.map((i) => i.source.productCode));
  const outputUnits = outputs.map((o) => o.unit ?? first.unit);
  for (const unit of outputUnits) {
    if (!comparableUnits(unit, first.unit))
      refuse('UNIT_MISMATCH', `an output in ${unit} cannot be made from goods in ${first.unit}`);
  }
  const resolved = outputs.map((output, j) => {
    if (!positiveFinite(output.quantity))
      refuse('INVALID_QUANTITY', `output ${j + 1}: the quantity must be a positive number`);
    return { ...output, ...outputProduct(kind, output, category, sourceProducts, rules, products) };
  });

  const takenMilli = inputs.map((i) => toMilli(i.quantity, i.source.unit));
  const madeMilli = resolved.map((o, j) => toMilli(o.quantity, outputUnits[j]!));
  const taken = sum(takenMilli) + sum(unverified.map((u) => toMilli(u.quantity, u.unit)));
  const made = sum(madeMilli);
  if (made > taken) refuse('QUANTITY_EXCEEDED', 'the outputs make more than the inputs take');
  const loss = taken - made;
  if (kind === 'resale' && loss > 0)
    refuse(
      'LOSS_EXCEEDS_LIMIT',
      'a resale passes the goods on unchanged: what is made must equal what is taken',
    );
  const limit = rules.maxTrimLoss[category];
  if (loss > taken * limit + 1e-9) {
    refuse(
      'LOSS_EXCEEDS_LIMIT',
      `the loss is ${((loss / taken) * 100).toFixed(1)} %, above the ${(limit * 100).toFixed(0)} % allowed for ${category}`,
    );
  }

  const drawsByOutput = shareInputs(inputs, takenMilli, madeMilli);
  const origin = derivedOrigin(inputs.map((i) => i.source));
  // Nobody vouches for how unverified goods were grown: the output promises no more than internal quality control.
  const basis = unverified.length > 0 ? 'quality_control' : derivedBasis(inputs.map((i) => i.source));
  const unit = outputUnits[0]!;
  return {
    unit,
    taken: fromMilli(taken, unit),
    made: fromMilli(made, unit),
    loss: fromMilli(loss, unit),
    unverifiedSources: unverified.length > 0 || inputs.some((i) => i.source.unverifiedSources === true),
    outputs: resolved.map((output, j) => ({
      productCode: output.productCode,
      productName: output.productName,
      category,
      quantity: output.quantity,
      unit: outputUnits[j]!,
      originRegion: origin.region,
      originText: origin.text,
      basis,
      parents: parentsOf(drawsByOutput[j]!),
      draws: drawsByOutput[j]!,
    })),
  };
}

function checkInputs(inputs: readonly PlannedInput[]): void {
  const first = inputs[0]!.source;
  const items = new Set<string>();
  const certificates = new Set<string>();
  for (const { source, quantity } of inputs) {
    if (!positiveFinite(quantity))
      refuse('INVALID_QUANTITY', `input ${source.itemId}: the quantity must be a positive number`);
    if (items.has(source.itemId))
      refuse('DUPLICATE_INPUT', `inventory item ${source.itemId} is listed twice`);
    items.add(source.itemId);
    certificates.add(source.certificateId);
    if (source.held)
      refuse('ITEM_HELD', `inventory item ${source.itemId} is held (stop-sale) and cannot be drawn on`);
    if (toMilli(quantity, source.unit) > toMilli(source.left, source.unit))
      refuse(
        'QUANTITY_EXCEEDED',
        `inventory item ${source.itemId} has only ${source.left} ${source.unit} left`,
      );
    if (!comparableUnits(source.unit, first.unit))
      refuse('UNIT_MISMATCH', `goods in ${source.unit} and in ${first.unit} cannot be combined`);
    if (source.category !== first.category)
      refuse(
        'CATEGORY_MISMATCH',
        `goods of categories ${first.category} and ${source.category} cannot be combined`,
      );
  }
  if (certificates.size > maxSourceCertificates)
    refuse('TOO_MANY_SOURCES', `at most ${maxSourceCertificates} source certificates fit in one code`);
}

/**
 * Unverified goods may join a repack of the vendor's own verified goods, in a unit that converts; a resale passes
 * on received goods unchanged, so it has none.
 */
function checkUnverified(kind: TransformationKind, unverified: readonly UnverifiedInput[], unit: Unit): void {
  if (unverified.length > 0 && kind === 'resale')
    refuse(
      'UNVERIFIED_IN_RESALE',
      'a resale passes on received goods only; unverified sources need a repack',
    );
  unverified.forEach((source, k) => {
    if (!positiveFinite(source.quantity))
      refuse('INVALID_QUANTITY', `unverified source ${k + 1}: the quantity must be a positive number`);
    if (!comparableUnits(source.unit, unit))
      refuse('UNIT_MISMATCH', `unverified source ${k + 1} in ${source.unit} cannot join goods in ${unit}`);
  });
}

/**
 * The product an output may carry: the sources' own product when they share one; the category's mix product
 * (混装) when the rules allow mixing. A resale never changes the product.
 */
function outputProduct(
  kind: TransformationKind,
  output: OutputRequest,
  category: Category,
  sourceProducts: ReadonlySet<number>,
  rules: CustodyRules,
  products: (code: number) => CatalogueProduct | undefined,
): { productCode: number; productName: string } {
  const single = sourceProducts.size === 1 ? [...sourceProducts][0]! : undefined;
  const mix = kind === 'repack' ? rules.mixProduct[category] : undefined;
  const code = output.productCode ?? single ?? mix;
  if (code === undefined) {
    return refuse(
      'PRODUCT_MISMATCH',
      kind === 'resale'
        ? 'a resale passes on one product; these sources are several'
        : `no rule allows mixing several ${category} products`,
    );
  }
  const product = products(code);
  if (!product) return refuse('UNKNOWN_PRODUCT', `unknown product code ${code}`);
  if (product.category !== category)
    refuse('CATEGORY_MISMATCH', `product ${code} is ${product.category}; the sources are ${category}`);
  if (code !== single && code !== mix) {
    refuse(
      'PRODUCT_MISMATCH',
      single === undefined
        ? `several products may only be mixed into product ${mix ?? '(none allowed)'}`
        : `the sources are product ${single}; an output may not become product ${code}`,
    );
  }
  return { productCode: code, productName: output.productName ?? product.name };
}

/**
 * Shares each input over the outputs in proportion to what they make; the last output takes the rounding
 * remainder, so an input's draws add up to it exactly.
 */
function shareInputs(
  inputs: readonly PlannedInput[],
  takenMilli: readonly number[],
  madeMilli: readonly number[],
): PlannedDraw[][] {
  const made = sum(madeMilli);
  const draws: PlannedDraw[][] = madeMilli.map(() => []);
  inputs.forEach(({ source }, i) => {
    let rest = takenMilli[i]!;
    madeMilli.forEach((share, j) => {
      const milli = j === madeMilli.length - 1 ? rest : Math.round((takenMilli[i]! * share) / made);
      rest -= milli;
      if (milli > 0)
        draws[j]!.push({
          itemId: source.itemId,
          certificateId: source.certificateId,
          quantity: fromMilli(milli, source.unit),
        });
    });
  });
  return draws;
}

function parentsOf(draws: readonly PlannedDraw[]): { certificateId: string; quantity: number }[] {
  const byCertificate = new Map<string, number>();
  for (const draw of draws)
    byCertificate.set(draw.certificateId, (byCertificate.get(draw.certificateId) ?? 0) + draw.quantity);
  return [...byCertificate].map(([certificateId, quantity]) => ({ certificateId, quantity }));
}

/**
 * 产地 of a transformation's output: the sources' one origin, or the smallest division that contains every
 * origin (GB/T 2260: province 2 digits, prefecture 4), with each origin's printed text listed.
 */
export function derivedOrigin(sources: readonly Pick<SourceItem, 'originRegion' | 'originText'>[]): {
  region: string;
  text: string;
} {
  const regions = [...new Set(sources.map((s) => s.originRegion))];
  const texts = [...new Set(sources.map((s) => s.originText.trim()).filter((t) => t.length > 0))];
  const text = texts.join('；');
  if (regions.length === 1) return { region: regions[0]!, text };
  for (const digits of [4, 2]) {
    const prefixes = new Set(regions.map((r) => r.slice(0, digits)));
    if (prefixes.size === 1) return { region: [...prefixes][0]!.padEnd(6, '0'), text };
  }
  return { region: '000000', text };
}

/** 承诺依据: the sources' shared basis, or the weakest promise every source meets (内部质量控制). */
export function derivedBasis(sources: readonly Pick<SourceItem, 'basis'>[]): Basis {
  const bases = new Set(sources.map((s) => s.basis));
  return bases.size === 1 ? [...bases][0]! : 'quality_control';
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
