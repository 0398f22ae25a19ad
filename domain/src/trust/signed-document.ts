import { z } from 'zod';
import type { Ed25519, Signer } from '../certificate/ed25519.ts';
import { keyIdOf } from '../certificate/ed25519.ts';
import type { ReasonCode } from '../reason/reason-code.ts';
import { fromBase64Url, toBase64Url } from './public-key.ts';

/**
 * A root-signed JSON document (snapshot, delta or a statement about them). The signature covers a purpose label
 * and the exact body text, so one kind can never pass as another and the body needs no re-serialisation to verify.
 */
export const SignedDocument = z.object({
  body: z.string(),
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'base64url Ed25519 signature'),
  rootKeyId: z.string().regex(/^[0-9a-f]{8}$/),
});
export type SignedDocument = z.infer<typeof SignedDocument>;

export type DocumentPurpose =
  | 'LZ-TRUST-SNAPSHOT-1'
  | 'LZ-TRUST-DELTA-1'
  | 'LZ-TRUST-CURRENT-1'
  | 'LZ-TRUST-ROLLBACK-1';

export type TrustFailureDetail =
  | 'malformed_envelope'
  | 'unknown_root_key'
  | 'bad_signature'
  | 'malformed_body'
  | 'expired'
  | 'version_mismatch';

export interface TrustFailure {
  reason: ReasonCode;
  detail: TrustFailureDetail;
}

/** JSON with object keys sorted and no whitespace: one text per value, so equal documents sign equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

const encoder = new TextEncoder();

function signedBytes(purpose: DocumentPurpose, body: string): Uint8Array {
  return encoder.encode(`${purpose}\n${body}`);
}

export function signDocument(purpose: DocumentPurpose, value: unknown, signer: Signer): SignedDocument {
  const body = canonicalJson(value);
  return { body, signature: toBase64Url(signer.sign(signedBytes(purpose, body))), rootKeyId: signer.keyId };
}

/** Verifies with whichever listed root key matches the id and signature, then parses the body with `schema`. */
export function openDocument<T>(
  purpose: DocumentPurpose,
  signed: unknown,
  schema: z.ZodType<T>,
  rootPublicKeys: readonly Uint8Array[],
  ed25519: Ed25519,
): { ok: true; value: T } | { ok: false; failure: TrustFailure } {
  const envelope = SignedDocument.safeParse(signed);
  if (!envelope.success) return { ok: false, failure: { reason: 'MALFORMED', detail: 'malformed_envelope' } };
  const { body, rootKeyId } = envelope.data;
  const candidates = rootPublicKeys.filter((key) => keyIdOf(key) === rootKeyId);
  if (candidates.length === 0)
    return { ok: false, failure: { reason: 'UNKNOWN_ISSUER', detail: 'unknown_root_key' } };
  const signature = fromBase64Url(envelope.data.signature);
  const message = signedBytes(purpose, body);
  if (!signature || !candidates.some((key) => ed25519.verify(signature, message, key))) {
    return { ok: false, failure: { reason: 'BAD_SIGNATURE', detail: 'bad_signature' } };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { ok: false, failure: { reason: 'MALFORMED', detail: 'malformed_body' } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) return { ok: false, failure: { reason: 'MALFORMED', detail: 'malformed_body' } };
  return { ok: true, value: parsed.data };
}
