import { z } from 'zod';
import vectorFile from '../../test-vectors/coverage.json' with { type: 'json' };
import { LotDeclaration } from '../lot/lot.ts';
import { ReasonCode } from '../reason/reason-code.ts';
import { Unit } from '../unit/unit.ts';
import { VerdictOutcome } from './verdict-result.ts';

const Expectation = z.strictObject({
  outcome: VerdictOutcome,
  primary: ReasonCode.nullable(),
  /** covered quantity in the lot's unit; null when nothing could be counted */
  covered: z.number().nonnegative().nullable(),
});

const Step = z.union([
  z.strictObject({ scan: z.number().int().nonnegative(), expect: Expectation }),
  z.strictObject({ close: z.literal(true), expect: Expectation }),
]);
export type CoverageStep = z.infer<typeof Step>;

export const CoverageCase = z.strictObject({
  name: z.string(),
  lot: LotDeclaration,
  certificates: z.array(
    z.strictObject({
      quantity: z.number().positive(),
      unit: Unit,
      /** charged to this certificate by other lots before the case starts, in its own unit */
      usedElsewhere: z.number().nonnegative().optional(),
      /** made partly from unverified sources (docs/custody.md): the trust data flags it for review */
      unverifiedSources: z.boolean().optional(),
    }),
  ),
  steps: z.array(Step).min(1),
});
export type CoverageCase = z.infer<typeof CoverageCase>;

const CoverageVectorFile = z.strictObject({ description: z.string(), cases: z.array(CoverageCase).min(1) });

/** The lot-coverage cases (domain/test-vectors/coverage.json) that the core, the agent and the server all run. */
export function loadCoverageVectors(): CoverageCase[] {
  return CoverageVectorFile.parse(vectorFile).cases;
}
