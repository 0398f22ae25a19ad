import type { Language } from '../reason/reason-code.ts';
import { explainReason } from '../reason/reason-messages.ts';
import { unitName } from '../unit/unit.ts';
import type { LotCoverage, Reason, VerdictOutcome, VerdictResult } from './verdict-result.ts';

const outcomeWords: Record<Language, Record<VerdictOutcome, string>> = {
  'zh-CN': { accept: '放行', review: '人工复核', reject: '拒绝', pending: '待续扫' },
  en: { accept: 'Accepted', review: 'Needs review', reject: 'Rejected', pending: 'Keep scanning' },
};

function documentLabel(documentIndex: number, language: Language): string {
  return language === 'zh-CN' ? `（第 ${documentIndex + 1} 份单据）` : ` (document ${documentIndex + 1})`;
}

/** One reason as a sentence, saying which document it is about when it is about one. */
export function explainReasonLine(reason: Reason, language: Language = 'zh-CN'): string {
  const sentence = explainReason(reason.code, language);
  return reason.documentIndex === undefined
    ? sentence
    : `${sentence}${documentLabel(reason.documentIndex, language)}`;
}

export interface VerdictExplanation {
  /** e.g. `拒绝：该合格证已作废（第 1 份单据）`: the outcome and the one reason a person needs first */
  headline: string;
  /** every reason, most important first */
  lines: string[];
}

/** What a pending lot tells the gate: how far the certificates read so far go, and to keep scanning. */
export function explainCoverage(coverage: LotCoverage, language: Language = 'zh-CN'): string {
  const { covered, declared, unit } = coverage;
  return language === 'zh-CN'
    ? `已核 ${covered}/${declared} ${unitName(unit)}，继续扫码`
    : `${covered} of ${declared} ${unit} covered so far; scan the next certificate`;
}

/** Puts a verdict in plain words, like pretix's `_logic_explain`: the outcome, the primary reason, then the rest. */
export function explainVerdict(verdict: VerdictResult, language: Language = 'zh-CN'): VerdictExplanation {
  const outcome = outcomeWords[language][verdict.outcome];
  const separator = language === 'zh-CN' ? '：' : ': ';
  if (verdict.outcome === 'pending' && verdict.coverage) {
    const headline = `${outcome}${separator}${explainCoverage(verdict.coverage, language)}`;
    return { headline, lines: verdict.reasons.map((reason) => explainReasonLine(reason, language)) };
  }
  const headline = verdict.primary
    ? `${outcome}${separator}${explainReasonLine(verdict.primary, language)}`
    : outcome;
  return { headline, lines: verdict.reasons.map((reason) => explainReasonLine(reason, language)) };
}
