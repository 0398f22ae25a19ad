import { randomUUID } from 'node:crypto';
import type {
  Ed25519,
  PresentedDocument,
  ScanAnswer,
  ScanSubmission,
  VerdictResult,
} from '@liangzheng/domain';
import { explainCoverage, explainReason, readCode } from '@liangzheng/domain';
import type { LedgerEntry } from '../ledger/ledger.ts';
import { chargeDeltas, usedByOthers } from '../ledger/ledger.ts';
import type { LiveFeed } from '../live/live-feed.ts';
import { documentId } from '../lot/document-id.ts';
import type { TrustView } from '../trust/trust-source.ts';
import type { Answered, LotContext, ScanStore, ScanWrite, StoredDocument } from './scan-store.ts';
import { judgeOnServer } from './server-judgement.ts';

/**
 * Who submits at a gate: a gate device bound to one gate of one market, or gate staff at a gate of their market
 * (no device; `actor` names them in the audit log).
 */
export interface GateDevice {
  deviceId: string | null;
  gateId: number;
  marketId: number;
  actor?: string;
}

export type ScanError =
  | { code: 'LOT_NOT_FOUND'; message: string }
  | { code: 'SCAN_ID_CONFLICT'; message: string }
  | { code: 'GATE_MISMATCH'; message: string }
  | { code: 'LOT_CLOSED'; message: string }
  | { code: 'LEDGER_CONTENDED'; message: string };

export type ScanResult = { ok: true; response: string; replayed: boolean } | { ok: false; error: ScanError };

export interface ScanServiceDeps {
  store: ScanStore;
  trust: () => Promise<TrustView>;
  ed25519: Ed25519;
  clock: () => Date;
  live: LiveFeed;
}

/** A ledger that moved between judging and committing is re-read and the lot judged again, at most this often. */
const maxJudgements = 4;

/**
 * The one place a scan becomes a stored verdict: replay a known scanId to where it was scanned, judge the lot
 * with the scan added using the shared core and the server's context (fresh ledger and revocations), then persist
 * everything in one commit before answering.
 */
export async function ingestScan(
  deps: ScanServiceDeps,
  submission: ScanSubmission,
  device: GateDevice,
): Promise<ScanResult> {
  const earlier = await deps.store.answered(submission.scanId);
  if (earlier !== undefined) return replay(earlier, submission.scanId, device);

  const lot = await deps.store.lotContext(submission.lotId);
  if (!lot || lot.marketId !== device.marketId) {
    return {
      ok: false,
      error: { code: 'LOT_NOT_FOUND', message: `no lot ${submission.lotId} at this market` },
    };
  }
  if (submission.gateId !== device.gateId) {
    return {
      ok: false,
      error: {
        code: 'GATE_MISMATCH',
        message: `this device belongs to gate ${device.gateId}, not ${submission.gateId}`,
      },
    };
  }
  if (lot.status === 'closed') {
    return { ok: false, error: { code: 'LOT_CLOSED', message: `lot ${lot.id} is closed` } };
  }

  const receivedAt = deps.clock();
  const scanned: StoredDocument = {
    type: 'code',
    text: submission.provenance.rawText,
    scanId: submission.scanId,
  };
  const documents = [...lot.documents, scanned].map(toPresented);
  const view = await deps.trust();
  const certificateIds = certificateIdsOf(lot, view, deps.ed25519, scanned.text);

  for (let attempt = 0; attempt < maxJudgements; attempt++) {
    const entries = await deps.store.ledger(certificateIds);
    const fresh = view.withFreshRevocations(entries);
    const verdict = judge(lot, documents, fresh, entries, deps, receivedAt);
    const write = buildWrite(submission, device, lot, verdict, receivedAt);
    const result = await deps.store.record(write.write);
    if (result.kind === 'duplicate') return replay(result.earlier, submission.scanId, device);
    if (result.kind === 'stored') {
      announce(deps.live, lot, device, write.answer);
      return { ok: true, response: write.write.scan.response, replayed: false };
    }
  }
  return {
    ok: false,
    error: { code: 'LEDGER_CONTENDED', message: 'the certificate ledger kept changing; send the scan again' },
  };
}

/**
 * A known scanId answered again: byte for byte to where it was scanned (its device, or its market's gate staff),
 * so a gate that lost the answer gets it back; from anywhere else the id is a conflict, never another market's
 * answer.
 */
function replay(earlier: Answered, scanId: string, device: GateDevice): ScanResult {
  const sameDevice = earlier.deviceId !== null && earlier.deviceId === device.deviceId;
  if (sameDevice || earlier.marketId === device.marketId) {
    return { ok: true, response: earlier.response, replayed: true };
  }
  return {
    ok: false,
    error: {
      code: 'SCAN_ID_CONFLICT',
      message: `scan ${scanId} was already recorded elsewhere; use a new scanId`,
    },
  };
}

function judge(
  lot: LotContext,
  documents: PresentedDocument[],
  view: TrustView,
  entries: readonly LedgerEntry[],
  deps: ScanServiceDeps,
  now: Date,
): VerdictResult {
  const used = new Map(entries.map((entry) => [entry.certificateId, usedByOthers(entry, lot.chargedToLot)]));
  return judgeOnServer(view, lot.declaration, documents, (id) => used.get(id) ?? 0, now, deps.ed25519);
}

// The certificate a code text names, per trust index: readCode is pure given the index, and the same codes are
// read again and again at every gate, so the ledger rows to fetch are known without decoding twice.
const namedCertificates = new WeakMap<object, Map<string, string | null>>();
const namedCapacity = 100_000;

function certificateNamed(text: string, view: TrustView, ed25519: Ed25519): string | null {
  let known = namedCertificates.get(view.index);
  if (!known) {
    known = new Map();
    namedCertificates.set(view.index, known);
  }
  let id = known.get(text);
  if (id === undefined) {
    const reading = readCode(text, view.index, ed25519);
    id = reading.kind === 'liangzheng' ? (reading.payload?.id ?? null) : null;
    if (known.size >= namedCapacity) known.clear();
    known.set(text, id);
  }
  return id;
}

/**
 * Every certificate the lot's judgement may ask the ledger about: those already charged and those shown (with the
 * code just scanned, when there is one).
 */
export function certificateIdsOf(
  lot: LotContext,
  view: TrustView,
  ed25519: Ed25519,
  scannedText?: string,
): string[] {
  const ids = new Set<string>(lot.chargedToLot.keys());
  for (const document of lot.documents) {
    if (document.type !== 'code') continue;
    const id = certificateNamed(document.text, view, ed25519);
    if (id) ids.add(id);
  }
  const scannedId = scannedText === undefined ? null : certificateNamed(scannedText, view, ed25519);
  if (scannedId) ids.add(scannedId);
  return [...ids];
}

/** A stored document as the core reads it (a code keeps its scan id, so reasons name the scan). */
export function toPresented(document: StoredDocument): PresentedDocument {
  if (document.type === 'code') {
    return { type: 'code', text: document.text, ...(document.scanId ? { scanId: document.scanId } : {}) };
  }
  if (document.type === 'paper') return { type: 'paper', fields: document.fields } as PresentedDocument;
  return { type: 'second_document', kind: document.kind, number: document.number } as PresentedDocument;
}

/**
 * What a pending lot covers is charged as it is read, not when the last certificate arrives: the certificates were
 * shown here, so another gate presenting them meanwhile must see them taken.
 */
function holdsCharges(verdict: VerdictResult): boolean {
  return verdict.outcome === 'accept' || verdict.outcome === 'pending';
}

/** The sentence the gate shows: how far a pending lot is covered, else its primary reason. */
export function gateMessage(verdict: VerdictResult): string {
  if (verdict.outcome === 'pending' && verdict.coverage) return explainCoverage(verdict.coverage);
  const primary = verdict.primary?.code ?? verdict.reasons[0]?.code;
  return primary ? explainReason(primary) : '查验通过';
}

function buildWrite(
  submission: ScanSubmission,
  device: GateDevice,
  lot: LotContext,
  verdict: VerdictResult,
  receivedAt: Date,
): { write: ScanWrite; answer: ScanAnswer } {
  // The scanned code is the lot's last document; the verdict says what reading it yielded.
  const scannedResult = verdict.documents.find((d) => d.index === lot.documents.length);
  const codeKind = scannedResult?.reading ?? 'unknown';
  const certificateId = scannedResult?.certificateId ?? null;
  const provisionalOutcome = submission.provisional?.outcome ?? null;
  const conflict = provisionalOutcome !== null && provisionalOutcome !== verdict.outcome;
  const violationId = verdict.outcome === 'reject' ? randomUUID() : null;
  const primary = verdict.primary?.code ?? verdict.reasons[0]?.code;
  const answer: ScanAnswer = {
    scanId: submission.scanId,
    lotId: lot.id,
    receivedAt: receivedAt.toISOString(),
    verdict,
    message: gateMessage(verdict),
    conflict,
    provisionalOutcome,
    violationId,
  };
  const { provenance } = submission;
  const write: ScanWrite = {
    scan: {
      id: submission.scanId,
      lotId: lot.id,
      deviceId: device.deviceId,
      marketId: lot.marketId,
      source: provenance.source,
      rawText: provenance.rawText,
      symbology: provenance.symbology ?? 'qr',
      keystrokeTimings: JSON.stringify(provenance.keystrokeTimings),
      deviceTime: new Date(provenance.deviceTime),
      receivedAt,
      codeKind,
      certificateId,
      provisional: submission.provisional !== undefined,
      provisionalOutcome,
      outcome: verdict.outcome,
      reasons: JSON.stringify(verdict.reasons.map((reason) => reason.code)),
      conflict,
      response: JSON.stringify(answer),
    },
    document: { id: documentId(receivedAt), certificateId },
    verdict: {
      id: randomUUID(),
      outcome: verdict.outcome,
      rulesVersion: verdict.rulesVersion,
      reasons: verdict.reasons.map((reason) => ({
        code: reason.code,
        documentIndex: reason.documentIndex ?? null,
        detail: reason.detail === undefined ? '{}' : JSON.stringify({ detail: reason.detail }),
      })),
    },
    charges: holdsCharges(verdict) ? chargeDeltas(verdict.claims, lot.chargedToLot) : [],
    lotOutcome: verdict.outcome,
    lotStatus: verdict.outcome === 'pending' ? 'open' : 'judged',
    judgedAt: verdict.outcome === 'pending' ? null : receivedAt,
    violation:
      violationId && primary
        ? {
            id: violationId,
            regionCode: lot.regionCode,
            reason: primary,
            evidence: JSON.stringify({ scanId: submission.scanId, provenance }),
          }
        : null,
    at: receivedAt,
    audit: {
      actor: device.actor ?? `device:${device.deviceId}`,
      action: 'scan.judged',
      entity: 'scan',
      entityId: submission.scanId,
      data: { lotId: lot.id, outcome: verdict.outcome, certificateId, conflict, violationId },
    },
  };
  return { write, answer };
}

function announce(live: LiveFeed, lot: LotContext, device: GateDevice, answer: ScanAnswer): void {
  live.toGate(device.gateId, 'scan:verdict', answer);
  live.toMarket(lot.marketId, 'lot:arrival', {
    lotId: lot.id,
    gateId: device.gateId,
    productName: lot.declaration.productName,
    quantity: lot.declaration.quantity,
    unit: lot.declaration.unit,
    outcome: answer.verdict.outcome,
    at: answer.receivedAt,
  });
  if (answer.conflict) {
    live.toGate(device.gateId, 'scan:conflict', {
      scanId: answer.scanId,
      lotId: lot.id,
      provisionalOutcome: answer.provisionalOutcome,
      outcome: answer.verdict.outcome,
      message: answer.message,
    });
  }
  if (answer.violationId) {
    live.toRegion(lot.regionCode, 'violation:created', {
      violationId: answer.violationId,
      lotId: lot.id,
      marketId: lot.marketId,
      regionCode: lot.regionCode,
      reason: answer.verdict.reasons[0]?.code ?? 'MISSING',
      at: answer.receivedAt,
    });
  }
}
