import { z } from 'zod';
import type { Language } from '../reason/reason-code.ts';

/**
 * Every reason a catalogue CSV line (or the whole file) is refused is one of these codes. The server sends the code
 * per bad line; people read the sentence from `csvProblemMessages`, never a message parsed back into a code.
 */
export const csvProblemCodes = [
  /** the file has no non-blank line */
  'CSV_EMPTY',
  /** the header does not name every required column (`fields`) */
  'CSV_HEADER_INCOMPLETE',
  /** a header and no product line */
  'CSV_NO_PRODUCTS',
  /** the line's `fields` are missing or not valid */
  'CSV_FIELD_INVALID',
  /** the line's product code (`productCode`) stands on an earlier line too */
  'CSV_CODE_REPEATED',
] as const;
export const CsvProblemCode = z.enum(csvProblemCodes);
export type CsvProblemCode = z.infer<typeof CsvProblemCode>;

/** The catalogue CSV's columns, as a problem names them. */
export const CsvField = z.enum(['code', 'name', 'category', 'unit']);
export type CsvField = z.infer<typeof CsvField>;

/** What a problem's sentence names besides its code. */
export const CsvProblemDetail = z.object({
  fields: z.array(CsvField).optional(),
  productCode: z.number().int().optional(),
});

/** One refused line (from 1, counted after a byte-order mark, blank lines included) and why. */
export const CsvLineProblem = CsvProblemDetail.extend({
  line: z.number().int().positive(),
  code: CsvProblemCode,
});
export type CsvLineProblem = z.infer<typeof CsvLineProblem>;

/** One sentence per problem and language; `{{fields}}` and `{{productCode}}` are filled from the problem. */
export const csvProblemMessages: Record<Language, Record<CsvProblemCode, string>> = {
  'zh-CN': {
    CSV_EMPTY: '文件为空',
    CSV_HEADER_INCOMPLETE: '表头缺少：{{fields}}',
    CSV_NO_PRODUCTS: '文件里没有产品行',
    CSV_FIELD_INVALID: '以下字段有误：{{fields}}',
    CSV_CODE_REPEATED: '编码 {{productCode}} 在文件中出现两次',
  },
  en: {
    CSV_EMPTY: 'The file is empty',
    CSV_HEADER_INCOMPLETE: 'The header lacks: {{fields}}',
    CSV_NO_PRODUCTS: 'The file has no product lines',
    CSV_FIELD_INVALID: 'These fields are wrong: {{fields}}',
    CSV_CODE_REPEATED: 'Code {{productCode}} appears twice in the file',
  },
};

/** The columns' names as the sentences say them. */
export const csvFieldNames: Record<Language, Record<CsvField, string>> = {
  'zh-CN': { code: '编码', name: '名称', category: '类别', unit: '单位' },
  en: { code: 'code', name: 'name', category: 'category', unit: 'unit' },
};

const fieldSeparator: Record<Language, string> = { 'zh-CN': '、', en: ', ' };

/** The values a problem's sentence is filled with, in `language`. */
export function csvProblemValues(
  problem: z.infer<typeof CsvProblemDetail>,
  language: Language,
): { fields: string; productCode: string } {
  return {
    fields: (problem.fields ?? [])
      .map((field) => csvFieldNames[language][field])
      .join(fieldSeparator[language]),
    productCode: problem.productCode === undefined ? '' : String(problem.productCode),
  };
}

/** The sentence for a problem, e.g. `以下字段有误：类别`. */
export function explainCsvProblem(
  problem: Pick<CsvLineProblem, 'code' | 'fields' | 'productCode'>,
  language: Language = 'zh-CN',
): string {
  const values = csvProblemValues(problem, language);
  return csvProblemMessages[language][problem.code].replace(
    /\{\{(fields|productCode)\}\}/g,
    (_, name: keyof typeof values) => values[name],
  );
}

/**
 * A refused line as the import route answers it in its 400's `issues`: `line N`, the code, what the sentence names,
 * and the English sentence for whoever reads the raw answer. Clients word the code, never the message.
 */
export const CsvIssue = z.object({
  path: z.string().regex(/^line \d+$/),
  code: CsvProblemCode,
  message: z.string(),
  detail: CsvProblemDetail.optional(),
});
export type CsvIssue = z.infer<typeof CsvIssue>;

/** A parser's problem as the route's issue. */
export function csvIssue({ line, code, ...detail }: CsvLineProblem): CsvIssue {
  return {
    path: `line ${line}`,
    code,
    message: explainCsvProblem({ code, ...detail }, 'en'),
    ...(Object.keys(detail).length > 0 ? { detail } : {}),
  };
}
