import { z } from 'zod';
import { ReasonCode } from '../reason/reason-code.ts';
import { canonicalJson, SignedDocument } from '../trust/signed-document.ts';
import { CertificatePayload } from './certificate.ts';
import { type CodeReading, codeLayers, layerOutcomes } from './code-reading.ts';

/** The published form of the layered test vectors (domain/test-vectors/vectors.json). */
const ExpectedFailure = z.object({ layer: z.enum(codeLayers), reason: ReasonCode, detail: z.string() });

export const ExpectedReading = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('liangzheng'),
    normalised: z.boolean(),
    failure: ExpectedFailure.nullable(),
    payload: CertificatePayload.extend({ issuedAt: z.iso.datetime() }).nullable(),
    layers: z.record(z.enum(codeLayers), z.enum(['pass', 'fail', 'not_reached'])).optional(),
  }),
  z.object({ kind: z.literal('foreign_url'), platform: z.string(), id: z.string() }),
  z.object({
    kind: z.literal('national_trace'),
    code: z.string(),
    regionCode: z.string(),
    date: z.string(),
    serial: z.string(),
  }),
  z.object({ kind: z.literal('serial'), serial: z.string() }),
  z.object({ kind: z.literal('unknown') }),
]);
export type ExpectedReading = z.infer<typeof ExpectedReading>;

export const TestVector = z.object({
  name: z.string(),
  description: z.string(),
  text: z.string(),
  snapshot: z.string(),
  png: z.string(),
  expected: ExpectedReading,
});
export type TestVector = z.infer<typeof TestVector>;

export const TestVectorFile = z.object({
  format: z.literal(1),
  description: z.string(),
  clock: z.iso.datetime(),
  rootPublicKey: z.string(),
  snapshots: z.record(z.string(), SignedDocument),
  vectors: z.array(TestVector),
});
export type TestVectorFile = z.infer<typeof TestVectorFile>;

/** What of a reading the vectors pin down, in their JSON form (dates as ISO strings). */
export function observedReading(reading: CodeReading): unknown {
  if (reading.kind !== 'liangzheng') return reading;
  return {
    kind: reading.kind,
    normalised: reading.normalised,
    failure: reading.failure ?? null,
    payload: reading.payload ?? null,
    layers: layerOutcomes(reading.failure),
  };
}

/** undefined when the reading matches the vector; otherwise what differs, for a test message. */
export function vectorMismatch(expected: unknown, reading: CodeReading): string | undefined {
  const wanted = expected as Record<string, unknown>;
  const observed = observedReading(reading) as Record<string, unknown>;
  // Hand-written cases may leave `layers` out; it follows from `failure`.
  const compared =
    wanted.kind === 'liangzheng' && !('layers' in wanted) ? { ...observed, layers: undefined } : observed;
  const a = canonicalJson(wanted);
  const b = canonicalJson(compared);
  return a === b ? undefined : `expected ${a}\n     got ${b}`;
}
