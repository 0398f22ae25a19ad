import type { ReasonCode } from '../reason/reason-code.ts';
import type { TrustIssuer } from '../trust/snapshot.ts';
import type { CertificatePayload } from './certificate.ts';

/** The decoding layers of a Liangzheng code, in order. */
export const codeLayers = [
  'prefix',
  'transport',
  'structure',
  'keyLookup',
  'signature',
  'keyValidity',
  'revocation',
] as const;
export type CodeLayer = (typeof codeLayers)[number];

/** A refusal at one layer: `reason` for people and rules, `detail` a finer stable code for diagnostics. */
export interface CodeFailure {
  layer: CodeLayer;
  reason: ReasonCode;
  detail: string;
}

/** What reading one scanned text yields. Only `liangzheng` codes can be verified offline. */
export type CodeReading =
  | {
      kind: 'liangzheng';
      /** true when the text was lower-cased or padded and had to be normalised */
      normalised: boolean;
      /** the decoded payload, present once the structure layer passed (even if a later layer failed) */
      payload?: CertificatePayload;
      /** the issuer from the trust snapshot, present once the signature layer passed */
      issuer?: TrustIssuer;
      /** absent when every layer passed */
      failure?: CodeFailure;
    }
  | { kind: 'foreign_url'; platform: string; id: string }
  | { kind: 'national_trace'; code: string; regionCode: string; date: string; serial: string }
  | { kind: 'serial'; serial: string }
  | { kind: 'unknown' };

export type LayerOutcome = 'pass' | 'fail' | 'not_reached';

/** Every layer's outcome for a Liangzheng reading, as listed in the test vectors. */
export function layerOutcomes(failure: CodeFailure | undefined): Record<CodeLayer, LayerOutcome> {
  const failedAt = failure ? codeLayers.indexOf(failure.layer) : codeLayers.length;
  return Object.fromEntries(
    codeLayers.map((layer, i) => [layer, i < failedAt ? 'pass' : i === failedAt ? 'fail' : 'not_reached']),
  ) as Record<CodeLayer, LayerOutcome>;
}
