import {
  explainCoverage,
  explainReason,
  type LotCoverage,
  type LotDeclaration,
  type Reason,
  type ReasonCode,
} from '@liangzheng/domain';
import type { JournalEntry, LotArrival, Outcome } from '../journal/journal.ts';

export interface ExplainedReason {
  code: ReasonCode;
  zh: string;
  en: string;
}

/** What the gate screen shows; sent whole on every change, so a reconnecting page is never half-updated. */
export interface GateStatus {
  gateId: number;
  /** the latest verdict: a read, or a lot judged as it was registered (then `scanId` is null) */
  last: {
    scanId: string | null;
    lotId: string;
    outcome: Outcome;
    repeated: boolean;
    reasons: ExplainedReason[];
    /** a pending lot: how far it is covered, and to scan the next certificate */
    progress: Progress | null;
    text: string;
    at: string;
  } | null;
  conflict: {
    scanId: string;
    text: string;
    provisional: Outcome;
    server: Outcome;
    reasons: ExplainedReason[];
  } | null;
  /** the lot entered by hand that reads now belong to */
  lot: { id: string; label: string } | null;
  snapshot: { version: number; ageMinutes: number; stale: boolean } | null;
  queueLength: number;
  online: boolean;
}

export function explain(reasons: readonly Reason[]): ExplainedReason[] {
  return reasons.map(({ code }) => ({
    code,
    zh: explainReason(code, 'zh-CN'),
    en: explainReason(code, 'en'),
  }));
}

/** What a pending lot tells staff, in both languages: 已核 200/300 千克，继续扫码. */
export interface Progress {
  zh: string;
  en: string;
}

function progressOf(outcome: Outcome, coverage: LotCoverage | null | undefined): Progress | null {
  if (outcome !== 'pending' || !coverage) return null;
  return { zh: explainCoverage(coverage, 'zh-CN'), en: explainCoverage(coverage, 'en') };
}

export function lastOf(entry: JournalEntry): GateStatus['last'] {
  return {
    scanId: entry.scanId,
    lotId: entry.lotId,
    outcome: entry.verdict.outcome,
    repeated: entry.repeated,
    reasons: explain(entry.repeated ? [{ code: 'DUPLICATE_READ' }] : entry.verdict.reasons),
    progress: entry.repeated ? null : progressOf(entry.verdict.outcome, entry.verdict.coverage),
    text: entry.read.text,
    at: entry.deviceTime.toISOString(),
  };
}

export function conflictOf(entry: JournalEntry): GateStatus['conflict'] {
  return {
    scanId: entry.scanId,
    text: entry.read.text,
    provisional: entry.verdict.outcome,
    server: entry.serverOutcome ?? entry.verdict.outcome,
    reasons: explain(entry.serverReasons ?? []),
  };
}

/** How staff recognise a lot on the screen: plate, supplier, product and quantity, as entered. */
export function lotLabel(
  lotId: string,
  declaration: LotDeclaration,
  arrival: Pick<LotArrival, 'plate' | 'supplier'>,
): NonNullable<GateStatus['lot']> {
  const parts = [
    arrival.plate,
    arrival.supplier,
    `${declaration.productName} ${declaration.quantity} ${declaration.unit}`,
  ];
  return { id: lotId, label: parts.filter((part) => part.length > 0).join(' · ') };
}

type LotVerdict = { outcome: Outcome; reasons: readonly Reason[] };

/** A whole lot's verdict on the big panel (no read behind it): registered with no certificate or paper, or closed. */
function lotPanel(lotId: string, text: string, verdict: LotVerdict, at: Date): GateStatus['last'] {
  return {
    scanId: null,
    lotId,
    outcome: verdict.outcome,
    repeated: false,
    reasons: explain(verdict.reasons),
    progress: null,
    text,
    at: at.toISOString(),
  };
}

export function arrivalOf(
  lotId: string,
  declaration: LotDeclaration,
  arrival: LotArrival,
  verdict: LotVerdict,
  at: Date,
): GateStatus['last'] {
  return lotPanel(lotId, lotLabel(lotId, declaration, arrival).label, verdict, at);
}

/** A lot staff closed (本车扫完), as the big panel shows it: its final outcome, named by product and quantity. */
export function closedOf(
  lotId: string,
  declaration: LotDeclaration,
  verdict: LotVerdict,
  at: Date,
): GateStatus['last'] {
  const goods = `${declaration.productName} ${declaration.quantity} ${declaration.unit}`;
  return lotPanel(lotId, `本车扫完 / Closed · ${goods}`, verdict, at);
}
