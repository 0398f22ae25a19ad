import { explainReason, type Reason, type ReasonCode } from '@liangzheng/domain';
import type { JournalEntry, Outcome } from '../journal/journal.ts';

export interface ExplainedReason {
  code: ReasonCode;
  zh: string;
  en: string;
}

/** What the gate screen shows; sent whole on every change, so a reconnecting page is never half-updated. */
export interface GateStatus {
  gateId: number;
  last: {
    scanId: string;
    outcome: Outcome;
    repeated: boolean;
    reasons: ExplainedReason[];
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

export function lastOf(entry: JournalEntry): GateStatus['last'] {
  return {
    scanId: entry.scanId,
    outcome: entry.verdict.outcome,
    repeated: entry.repeated,
    reasons: explain(entry.repeated ? [{ code: 'DUPLICATE_READ' }] : entry.verdict.reasons),
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
