import { explainReason } from '@liangzheng/domain/reason/reason-messages';
import { explainCoverage } from '@liangzheng/domain/verdict/explain-verdict';
import { useTranslation } from 'react-i18next';
import type { ShownVerdict } from './verdict.ts';

/**
 * The verdict, readable from a truck cab: the colour fills the panel, the reason is in Chinese first and large,
 * English below it smaller, whatever the console's language.
 */
/**
 * `word` replaces the outcome's word where it reads better ("有效" on the public page); `waitingFor` names the truck
 * whose first scan the gate is waiting for.
 */
export function VerdictPanel({
  verdict,
  word,
  waitingFor,
}: {
  verdict: ShownVerdict | null;
  word?: string;
  waitingFor?: string;
}) {
  const { t } = useTranslation();
  if (!verdict) {
    return (
      <output className="verdict verdict-waiting" data-outcome="waiting" aria-live="polite">
        <span className="verdict-word">{t('outcome.waiting')}</span>
        {waitingFor && <span className="verdict-subject">{waitingFor}</span>}
      </output>
    );
  }
  const { coverage, reason } = verdict;
  // A pending lot says how far it is covered and to keep scanning; that matters more than any notice.
  const zh = coverage ? explainCoverage(coverage, 'zh-CN') : reason ? explainReason(reason, 'zh-CN') : null;
  const en = coverage ? explainCoverage(coverage, 'en') : reason ? explainReason(reason, 'en') : null;
  return (
    <output
      className={`verdict verdict-${verdict.outcome}`}
      data-outcome={verdict.outcome}
      aria-live="assertive"
    >
      <span className="verdict-word">{word ?? t(`outcome.${verdict.outcome}`)}</span>
      {verdict.subject && <span className="verdict-subject">{verdict.subject}</span>}
      {zh && (
        <span className="verdict-reason" lang="zh-CN">
          {zh}
        </span>
      )}
      {en && (
        <span className="verdict-reason-en" lang="en">
          {en}
        </span>
      )}
    </output>
  );
}
