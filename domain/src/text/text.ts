import { z } from 'zod';

/**
 * Text fields refuse control characters at the boundary, the same on every database: PostgreSQL cannot store NUL
 * in text (error 22021, which used to surface as a 500), and the other C0 controls and DEL only garble names on
 * pages, labels and exports. The patterns also appear in the OpenAPI document, so clients see the rule.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const noControls = /^[^\u0000-\u001f\u007f]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const noControlsButLineBreaks = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const noNul = /^[^\u0000]*$/;

/** A name, number or any one-line text: no control characters at all. */
export const SingleLineText = z
  .string()
  .regex(noControls, '不可含控制字符 (control characters are not allowed)');

/** A note typed into a text area: tabs and line breaks, but no other control characters. */
export const MultiLineText = z
  .string()
  .regex(
    noControlsButLineBreaks,
    '只可含换行和制表符，不可含其他控制字符 (only line breaks and tabs are allowed)',
  );

/**
 * A code as the reader gave it, kept verbatim: GS1 and ISO/IEC 15434 codes carry GS, RS and EOT separators, and a
 * scanner may add its terminator. Only NUL is refused, as no database can keep it in text.
 */
export const ScannedText = z.string().regex(noNul, '不可含 NUL 字符 (NUL is not allowed)');
