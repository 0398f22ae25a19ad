import type {
  Basis,
  Category,
  Certificate,
  TransformationRequest,
  Unit,
  UnverifiedSourceKind,
} from '@liangzheng/domain';
import type { AuditEntry } from '../audit/audit-log.ts';
import type { ErrorCode } from '../http/error-code.ts';

/** The stall a transformation happens at, with the identity its vendor signs as (null: none linked yet). */
export interface StallFacts {
  id: number;
  marketId: number;
  /** its market's region, which decides who may see the stall */
  regionCode: string;
  issuerId: number | null;
}

/** An inventory item as a draw needs it, with the certificate its goods travel under. */
export interface StoredItem {
  id: string;
  marketId: number;
  stallId: number | null;
  certificateId: string;
  received: number;
  drawn: number;
  held: boolean;
  unit: string;
  certificate: {
    status: string;
    productCode: number;
    productName: string;
    category: string;
    originRegion: string;
    originText: string;
    basis: string;
    /** made partly from unverified goods: the flag travels to whatever is made from it */
    unverifiedSources: boolean;
  };
}

export interface ProductFacts {
  code: number;
  name: string;
  category: string;
  active: boolean;
}

/** Everything a transformation decides on, read inside its transaction (the drawn items locked where that means something). */
export interface TransformationFacts {
  stall: StallFacts | undefined;
  /** the request's input items that exist, by id */
  items: ReadonlyMap<string, StoredItem>;
  /** the sources', the outputs' and the mix products, by code */
  products: ReadonlyMap<number, ProductFacts>;
  issuer: { id: number; name: string; contact: string; active: boolean } | undefined;
  /** the issuer's newest active key */
  key: { keyId: string; privateKeySealed: string } | undefined;
}

export interface TransformationRefusal {
  code: ErrorCode;
  message: string;
}

/** A certificate the transformation makes, as stored (valid, nothing admitted yet). */
export interface NewCertificate {
  id: string;
  kind: 'repack';
  issuerId: number;
  keyId: string;
  code: string;
  productCode: number;
  productName: string;
  category: Category;
  quantity: number;
  unit: Unit;
  originRegion: string;
  originText: string;
  issuerName: string;
  contact: string;
  basis: Basis;
  commitmentVersion: string;
  issuedAt: Date;
  parents: { certificateId: string; quantity: number }[];
  /** goes to review at a gate (docs/custody.md) */
  unverifiedSources: boolean;
}

/** Goods the vendor declared without a verifiable certificate, as stored (the photo stays for staff). */
export interface UnverifiedSourceRow {
  id: string;
  kind: UnverifiedSourceKind;
  description: string;
  quantity: number;
  unit: Unit;
  code: string | null;
  photo: Buffer | null;
  photoType: string | null;
}

/** Everything one transformation writes, committed all together or not at all. */
export interface TransformationWrite {
  transformation: {
    id: string;
    kind: TransformationRequest['kind'];
    marketId: number;
    stallId: number;
    issuerId: number;
    actor: string;
    unit: Unit;
    taken: number;
    made: number;
    loss: number;
    at: Date;
  };
  certificates: NewCertificate[];
  draws: {
    id: string;
    inventoryItemId: string;
    sourceCertificateId: string;
    outputCertificateId: string;
    quantity: number;
  }[];
  /** outputs the vendor keeps: inventory items `out:<certificateId>` at its own stall */
  kept: { id: string; certificateId: string; received: number; unit: Unit }[];
  unverifiedSources: UnverifiedSourceRow[];
  /** one per flagged output, so that the next trust snapshot carries the flag to every gate */
  trustChanges: { kind: 'unverified'; ref: string }[];
  /**
   * what to take from each input item: each a conditional update at commit time that must still fit under what
   * the item has left and find it not held
   */
  takes: { itemId: string; quantity: number }[];
  /** the hash-chained audit row, written in the same transaction */
  audit: AuditEntry;
}

export type Decision =
  | { ok: true; write: TransformationWrite }
  | { ok: false; refusal: TransformationRefusal };

export type StoreOutcome =
  | { kind: 'stored'; write: TransformationWrite }
  | { kind: 'refused'; refusal: TransformationRefusal }
  /** a take no longer fitted when it was applied: nothing was written */
  | { kind: 'take_failed'; itemId: string; quantity: number };

/**
 * The transformation's write path, one implementation per driver (raw better-sqlite3, raw pg; docs/custody.md,
 * Concurrency and crashes): reads the stall and, unless it is unknown or has no issuer, the facts (materialising
 * the stall's accepted lots into inventory where an input needs it); asks `decide` (pure and synchronous); writes
 * what it decided all at once, taking every input with a conditional update and appending the audit row. A
 * refusal or a failed take writes nothing.
 */
export interface TransformationStore {
  transform(
    stallId: number,
    request: TransformationRequest,
    /** the rules' mix products, which an output may become (混装) */
    mixProducts: readonly number[],
    decide: (facts: TransformationFacts) => Decision,
  ): Promise<StoreOutcome>;
  close(): Promise<void>;
}

/** The product codes a transformation's decision may look up: sources, requested outputs and the mix products. */
export function productCodesOf(
  request: TransformationRequest,
  items: Iterable<StoredItem>,
  mixProducts: readonly number[],
): number[] {
  return [
    ...new Set([
      ...[...items].map((item) => item.certificate.productCode),
      ...request.outputs.flatMap((output) => (output.productCode ? [output.productCode] : [])),
      ...mixProducts,
    ]),
  ];
}

/** A stored output as the API shows it. */
export function certificateOf(row: NewCertificate): Certificate {
  return {
    id: row.id,
    kind: row.kind,
    issuerId: row.issuerId,
    keyId: row.keyId,
    code: row.code,
    productCode: row.productCode,
    productName: row.productName,
    category: row.category,
    quantity: row.quantity,
    unit: row.unit,
    usedQuantity: 0,
    originRegion: row.originRegion,
    originText: row.originText,
    issuerName: row.issuerName,
    contact: row.contact,
    basis: row.basis,
    commitmentVersion: row.commitmentVersion,
    issuedAt: row.issuedAt.toISOString(),
    status: 'valid',
    voidReason: null,
    voidedAt: null,
    parents: row.parents,
    unverifiedSources: row.unverifiedSources,
  };
}
