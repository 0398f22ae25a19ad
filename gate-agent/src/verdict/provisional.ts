import {
  compareReasonCodes,
  type Ed25519,
  judgeLot,
  type LotDeclaration,
  type PresentedDocument,
  type Reason,
  readCode,
  type TrustIndex,
  type VerdictResult,
} from '@liangzheng/domain';
import type { ProvisionalVerdict } from '../journal/journal.ts';

/** The cached, already verified trust snapshot, with its receipt time on the server's clock. */
export interface TrustState {
  index: TrustIndex;
  version: number;
  receivedAt: Date;
}

/** The arrival being scanned: its declaration when staff entered one, and the codes already read for it. */
export interface GateLot {
  id: string;
  declaration: LotDeclaration | null;
  documents: PresentedDocument[];
  /** opened by the agent from a certificate rather than declared by staff */
  auto: boolean;
}

export interface ProvisionalInput {
  text: string;
  lot: GateLot;
  trust: TrustState | null;
  /** server-corrected time */
  now: Date;
  maxSnapshotAgeHours: number;
  ed25519: Ed25519;
}

export function snapshotAgeMs(trust: TrustState | null, now: Date): number {
  return trust ? Math.max(0, now.getTime() - trust.receivedAt.getTime()) : Number.POSITIVE_INFINITY;
}

/** Past the configured age, or past the snapshot's own expiry, the agent's trust data no longer counts. */
export function isStale(trust: TrustState | null, now: Date, maxSnapshotAgeHours: number): boolean {
  if (!trust) return true;
  return (
    snapshotAgeMs(trust, now) > maxSnapshotAgeHours * 3_600_000 ||
    now.getTime() > Date.parse(trust.index.snapshot.expiresAt)
  );
}

const staleReason: Reason = { code: 'SNAPSHOT_STALE' };

/**
 * The agent's verdict for one read, from the shared core with the cached snapshot. The agent knows no
 * cross-market ledger, so quantities count as unused here; the server re-judges with the real ledger.
 * With stale trust data it never accepts: an accept becomes a review with SNAPSHOT_STALE first.
 */
export function provisionalVerdict(input: ProvisionalInput): ProvisionalVerdict {
  const { trust, now } = input;
  if (!trust) {
    return {
      outcome: 'review',
      reasons: [staleReason],
      codeKind: 'unknown',
      certificateId: null,
      snapshotVersion: 0,
    };
  }
  const reading = readCode(input.text, trust.index, input.ed25519);
  const payload = reading.kind === 'liangzheng' ? reading.payload : undefined;
  const declaration = input.lot.declaration ?? declarationFrom(payload);
  const stale = isStale(trust, now, input.maxSnapshotAgeHours);
  let result: Pick<VerdictResult, 'outcome' | 'reasons'>;
  if (declaration) {
    result = judgeLot({
      lot: declaration,
      documents: [...input.lot.documents, { type: 'code', text: input.text }],
      trust: trust.index,
      snapshotAge: { receivedAt: trust.receivedAt, maxAgeHours: input.maxSnapshotAgeHours },
      ledger: () => 0,
      rules: trust.index.snapshot.rules,
      now,
      ed25519: input.ed25519,
    });
  } else {
    // nothing declared and nothing decodable to stand in for a declaration: the read itself says why
    result = { outcome: 'review', reasons: [readingReason(reading)] };
  }
  let { outcome, reasons } = result;
  // judgeLot already reviews a stale lot; this also covers reads judged without a declaration
  if (stale) {
    if (outcome === 'accept') outcome = 'review';
    if (!reasons.some((reason) => reason.code === 'SNAPSHOT_STALE')) reasons = [...reasons, staleReason];
    reasons = [...reasons].sort((a, b) => compareReasonCodes(a.code, b.code));
  }
  return {
    outcome,
    reasons,
    codeKind: reading.kind,
    certificateId: payload?.id ?? null,
    snapshotVersion: trust.version,
  };
}

export function declarationFromCode(
  text: string,
  trust: TrustState,
  ed25519: Ed25519,
): LotDeclaration | null {
  return declarationFrom(payloadOf(readCode(text, trust.index, ed25519)));
}

/** With no declaration entered, the certificate's own product and quantity stand in for it. */
function declarationFrom(payload: ReturnType<typeof payloadOf>): LotDeclaration | null {
  if (!payload) return null;
  return {
    productName: payload.productName,
    productCode: payload.productCode,
    category: payload.category,
    quantity: payload.quantity,
    unit: payload.unit,
  };
}

function payloadOf(reading: ReturnType<typeof readCode>) {
  return reading.kind === 'liangzheng' ? reading.payload : undefined;
}

function readingReason(reading: ReturnType<typeof readCode>): Reason {
  if (reading.kind === 'liangzheng') return { code: reading.failure?.reason ?? 'MALFORMED' };
  if (reading.kind === 'unknown') return { code: 'MALFORMED' };
  return { code: 'UNVERIFIABLE' };
}
