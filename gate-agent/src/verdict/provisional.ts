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

/**
 * The cached, already verified trust snapshot. `receivedAt`: the latest time the root signed that its version was
 * current, on the server's clock; the snapshot's age runs from there.
 */
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
  const result: GateJudgement = declaration
    ? judgeOffline(
        input,
        trust,
        declaration,
        [...input.lot.documents, { type: 'code', text: input.text }],
        false,
      )
    : // nothing declared and nothing decodable to stand in for a declaration: the read itself says why
      { outcome: 'review', reasons: [readingReason(reading)], coverage: null };
  const { outcome, reasons } = stale ? neverAcceptStale(result) : result;
  return {
    outcome,
    reasons,
    codeKind: reading.kind,
    certificateId: payload?.id ?? null,
    snapshotVersion: trust.version,
    coverage: result.coverage ?? null,
  };
}

type GateJudgement = Pick<VerdictResult, 'outcome' | 'reasons' | 'coverage'>;

function judgeOffline(
  input: Pick<ProvisionalInput, 'now' | 'maxSnapshotAgeHours' | 'ed25519'>,
  trust: TrustState,
  declaration: LotDeclaration,
  documents: PresentedDocument[],
  closing: boolean,
): GateJudgement {
  return judgeLot({
    lot: declaration,
    documents,
    trust: trust.index,
    snapshotAge: { receivedAt: trust.receivedAt, maxAgeHours: input.maxSnapshotAgeHours },
    ledger: () => 0,
    rules: trust.index.snapshot.rules,
    now: input.now,
    ed25519: input.ed25519,
    closing,
  });
}

/** judgeLot already reviews a stale lot; this also covers reads judged without a declaration. */
function neverAcceptStale(result: GateJudgement): GateJudgement {
  const outcome = result.outcome === 'accept' ? 'review' : result.outcome;
  const reasons = result.reasons.some((reason) => reason.code === 'SNAPSHOT_STALE')
    ? result.reasons
    : [...result.reasons, staleReason].sort((a, b) => compareReasonCodes(a.code, b.code));
  return { ...result, outcome, reasons };
}

/**
 * The agent's verdict for a declared lot that staff close offline: what was read so far, judged with the core's
 * closing rule, so a lot still short of its quantity is INSUFFICIENT_COVERAGE here exactly as on the server.
 */
export function closingVerdict(
  input: Omit<ProvisionalInput, 'text'>,
  declaration: LotDeclaration,
): GateJudgement {
  const { trust } = input;
  if (!trust) return { outcome: 'review', reasons: [staleReason], coverage: null };
  const result = judgeOffline(input, trust, declaration, input.lot.documents, true);
  return isStale(trust, input.now, input.maxSnapshotAgeHours) ? neverAcceptStale(result) : result;
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
