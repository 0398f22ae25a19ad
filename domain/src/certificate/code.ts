import type { ReasonCode } from '../reason/reason-code.ts';
import type { TrustIssuer } from '../trust/snapshot.ts';
import type { TrustIndex } from '../trust/trust-index.ts';
import { decodeBase40, encodeBase40 } from './base40.ts';
import type { CertificatePayload } from './certificate.ts';
import { type LayoutError, readCertificateBytes, writeCertificateBody } from './certificate-bytes.ts';
import type { CodeFailure, CodeLayer, CodeReading } from './code-reading.ts';
import type { Ed25519, Signer } from './ed25519.ts';
import { readOtherCode } from './other-codes.ts';

/** `HTTPS://<HOST>/V/LZ1<BASE40>`: every character in the QR alphanumeric set. */
export const codeVersionPrefix = 'LZ1';
export const codePath = '/V/';
export const demoCodeHost = 'LZ.DEMO.CN';
/** The longest BASE40 part a format-1 payload can need is 590 characters; anything longer is refused unread. */
export const maxBase40Length = 600;
/** Longer texts are not decoded at all, which bounds the work any scanned text can cause. */
export const maxCodeTextLength = 1000;

const hostPattern = /^[A-Z0-9.-]+(:\d{1,5})?$/;
const urlPattern = /^([A-Z][A-Z0-9+.-]*):\/\/([^/]*)(\/.*)?$/;

export type EncodeError = LayoutError | 'key_mismatch' | 'bad_host' | 'bad_signature_length';

export function encodeCertificate(
  payload: CertificatePayload,
  signer: Signer,
  options: { host?: string } = {},
): { ok: true; text: string; payload: CertificatePayload } | { ok: false; error: EncodeError } {
  const host = options.host ?? demoCodeHost;
  if (!hostPattern.test(host)) return { ok: false, error: 'bad_host' };
  if (payload.keyId !== signer.keyId) return { ok: false, error: 'key_mismatch' };
  const written = writeCertificateBody(payload);
  if (!written.ok) return written;
  const signature = signer.sign(written.body);
  if (signature.length !== 64) return { ok: false, error: 'bad_signature_length' };
  const bytes = new Uint8Array(written.body.length + 64);
  bytes.set(written.body);
  bytes.set(signature, written.body.length);
  return {
    ok: true,
    text: `HTTPS://${host}${codePath}${codeVersionPrefix}${encodeBase40(bytes)}`,
    payload: written.payload,
  };
}

function failed(
  normalised: boolean,
  layer: CodeLayer,
  reason: ReasonCode,
  detail: string,
  extra: { payload?: CertificatePayload; issuer?: TrustIssuer } = {},
): CodeReading {
  const failure: CodeFailure = { layer, reason, detail };
  return { kind: 'liangzheng', normalised, ...extra, failure };
}

/**
 * Reads one scanned text. Liangzheng codes are judged layer by layer against the trust index
 * (prefix → transport → structure → keyLookup → signature → keyValidity → revocation); other formats are
 * recognised as their own kinds. Never throws.
 */
export function readCode(text: string, trust: TrustIndex, ed25519: Ed25519): CodeReading {
  if (text.length > maxCodeTextLength) return { kind: 'unknown' };
  const trimmed = text.trim();
  const upper = trimmed.toUpperCase();
  const normalised = upper !== text;

  const url = urlPattern.exec(upper);
  const [, scheme = '', host = '', path = ''] = url ?? [];
  if (!url || !(trust.codeHosts.has(host) || path.startsWith(`${codePath}LZ`))) {
    return readOtherCode(trimmed, trust.foreignPlatforms);
  }

  if (scheme !== 'HTTPS') return failed(normalised, 'prefix', 'MALFORMED', 'bad_scheme');
  if (!trust.codeHosts.has(host)) return failed(normalised, 'prefix', 'MALFORMED', 'unknown_host');
  if (!path.startsWith(codePath)) return failed(normalised, 'prefix', 'MALFORMED', 'bad_path');
  const versioned = path.slice(codePath.length);
  if (!versioned.startsWith(codeVersionPrefix)) {
    return failed(
      normalised,
      'prefix',
      'MALFORMED',
      versioned.startsWith('LZ') ? 'unsupported_version' : 'bad_path',
    );
  }

  const transport = decodeBase40(versioned.slice(codeVersionPrefix.length), maxBase40Length);
  if (!transport.ok) return failed(normalised, 'transport', 'MALFORMED', transport.error);

  const structure = readCertificateBytes(transport.bytes);
  if (!structure.ok) return failed(normalised, 'structure', 'MALFORMED', structure.error);
  const { payload, body, signature } = structure.value;

  const sameId = trust.keysById.get(payload.keyId);
  if (!sameId) return failed(normalised, 'keyLookup', 'UNKNOWN_ISSUER', 'unknown_key_id', { payload });
  const issuer = trust.issuers.get(payload.issuerId);
  if (!issuer) return failed(normalised, 'keyLookup', 'UNKNOWN_ISSUER', 'unknown_issuer', { payload });
  const candidates = sameId.filter((indexed) => indexed.key.issuerId === payload.issuerId);
  if (candidates.length === 0)
    return failed(normalised, 'keyLookup', 'UNKNOWN_ISSUER', 'key_issuer_mismatch', { payload });

  // keyIds are 32 bits, so several keys may share one: the signature decides which (as EU DCC verifiers do).
  const signingKey = candidates.find((indexed) => ed25519.verify(signature, body, indexed.publicKey));
  if (!signingKey) return failed(normalised, 'signature', 'BAD_SIGNATURE', 'signature_mismatch', { payload });

  const issued = payload.issuedAt.getTime();
  const validity =
    signingKey.key.status === 'compromised'
      ? 'key_compromised'
      : issued < signingKey.validFrom
        ? 'before_key_valid_from'
        : issued >= signingKey.validTo
          ? 'after_key_valid_to'
          : undefined;
  if (validity) return failed(normalised, 'keyValidity', 'KEY_NOT_VALID', validity, { payload, issuer });

  if (trust.revoked.has(payload.id)) {
    return failed(normalised, 'revocation', 'REVOKED', 'revoked', { payload, issuer });
  }
  return { kind: 'liangzheng', normalised, payload, issuer };
}
