import { parseRegionCode, type RegionCodeParts } from './region-code.ts';

/**
 * 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters —
 * registration authority (1), organisation type (1), GB/T 2260 region (6), organisation code (9), check (1).
 */
export const creditCodeCharset = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type CreditCodeErrorCode = 'LENGTH' | 'CHARSET' | 'CHECK_CHARACTER' | 'REGION';

export interface CreditCode {
  code: string;
  registrationAuthority: string;
  organisationType: string;
  region: RegionCodeParts;
  organisationCode: string;
}

export type ParsedCreditCode =
  | { ok: true; creditCode: CreditCode }
  | { ok: false; error: { code: CreditCodeErrorCode; input: string } };

/** The check character for the first 17 characters, or undefined if any is outside the charset. */
export function creditCodeCheckCharacter(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = creditCodeCharset.indexOf(first17[i] ?? '');
    if (value < 0) return undefined;
    sum += value * weights[i]!;
  }
  return creditCodeCharset[(31 - (sum % 31)) % 31];
}

/** Validates a 统一社会信用代码 as typed: full-width characters and lower case are accepted and normalised. */
export function parseCreditCode(input: string): ParsedCreditCode {
  const code = input.normalize('NFKC').trim().toUpperCase();
  const fail = (error: CreditCodeErrorCode): ParsedCreditCode => ({
    ok: false,
    error: { code: error, input },
  });
  if (code.length !== 18) return fail('LENGTH');
  if (![...code].every((c) => creditCodeCharset.includes(c))) return fail('CHARSET');
  if (creditCodeCheckCharacter(code.slice(0, 17)) !== code[17]) return fail('CHECK_CHARACTER');
  const region = parseRegionCode(code.slice(2, 8));
  if (!region.ok) return fail('REGION');
  return {
    ok: true,
    creditCode: {
      code,
      registrationAuthority: code[0]!,
      organisationType: code[1]!,
      region: region.region,
      organisationCode: code.slice(8, 17),
    },
  };
}
