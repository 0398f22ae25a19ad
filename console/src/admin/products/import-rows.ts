import { CsvLineProblem } from '@liangzheng/domain/product/csv-problem';
import type { z } from 'zod';
import type { ApiIssue } from '../catalogue-api.ts';

/** A refused line's problem without its line number (the row has it). */
const CsvProblem = CsvLineProblem.omit({ line: true });
export type CsvProblem = z.infer<typeof CsvProblem>;

/**
 * A catalogue CSV's lines with what the import did to each, for the per-row result under the import form. The
 * server imports a file whole or not at all (docs/api.md): when it refuses, it names each bad line, and every
 * other line was fine but waits for the file to be fixed.
 */
export type ImportRowStatus = 'header' | 'accepted' | 'refused' | 'waiting';

export interface ImportRow {
  line: number;
  text: string;
  status: ImportRowStatus;
  /** why a refused line (or the file, on the header line) was refused */
  reason?: ImportLineReason;
}

/**
 * Why a line was refused: the domain's problem, by its code (`CsvProblemCode`), or, for an issue without a code
 * this console knows, the server's sentence as it came.
 */
export type ImportLineReason = { kind: 'coded'; problem: CsvProblem } | { kind: 'other'; message: string };

/** The issue the server sent for a bad line, as a reason the console words by its code. */
export function lineReason(issue: ApiIssue): ImportLineReason {
  const detail = typeof issue.detail === 'object' && issue.detail !== null ? issue.detail : {};
  const problem = CsvProblem.safeParse({ ...detail, code: issue.code });
  return problem.success
    ? { kind: 'coded', problem: problem.data }
    : { kind: 'other', message: issue.message };
}

/**
 * Each non-blank line of `csv`, numbered as the server numbers them (from 1, after a byte-order mark), with its
 * status: all accepted when the import went through, else the refused ones with their reasons (`issues` paths
 * are `line N`) and the rest waiting.
 */
export function importRows(
  csv: string,
  answer: { imported: true } | { imported: false; issues: ApiIssue[] },
): ImportRow[] {
  const refused = new Map<number, ApiIssue>();
  if (!answer.imported) {
    for (const issue of answer.issues) {
      const line = /^line (\d+)$/.exec(issue.path);
      if (line) refused.set(Number(line[1]), issue);
    }
  }
  const lines = csv
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((text, i) => ({ line: i + 1, text }))
    .filter(({ text }) => text.split(',').some((cell) => cell.trim() !== ''));
  return lines.map(({ line, text }, index): ImportRow => {
    const issue = refused.get(line);
    if (issue !== undefined) return { line, text, status: 'refused', reason: lineReason(issue) };
    if (index === 0) return { line, text, status: 'header' };
    return { line, text, status: answer.imported ? 'accepted' : 'waiting' };
  });
}
