import type { Language } from '../reason/reason-code.ts';
import type { VerdictOutcome } from './verdict-result.ts';

/**
 * A verdict's outcome in words: what the gate screen shows in large type, and what every report and export of
 * outcomes says, so a worker and a regulator read the same word for the same verdict.
 */
export const outcomeWords: Record<Language, Record<VerdictOutcome, string>> = {
  'zh-CN': { accept: '通过', review: '需人工复核', reject: '拒绝', pending: '继续扫码' },
  en: { accept: 'Accepted', review: 'Needs review', reject: 'Rejected', pending: 'Keep scanning' },
};
