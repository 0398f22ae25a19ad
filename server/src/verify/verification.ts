import type {
  CertificateState,
  CodeReading,
  Ed25519,
  ReasonCode,
  Unverifiable,
  VerificationResult,
} from '@liangzheng/domain';
import { CreditGrade, readCode } from '@liangzheng/domain';
import { readNationalTrace } from '@liangzheng/domain/certificate/other-codes';
import type { Db } from '../storage/db.ts';
import { unverifiedSourcesOf } from '../transformation/unverified-sources.ts';
import type { TrustView } from '../trust/trust-source.ts';

export interface VerifyDeps {
  db: Db;
  ed25519: Ed25519;
  codeHost: string;
}

/**
 * `/V/<code>` carries only the code's path part; the full text is rebuilt on this server's code host. A full URL,
 * and a 22-digit national traceability number (typed or scanned at a gate), are read as they are: rebuilt as a path,
 * the national number read as an unreadable 亮证 code instead of one that cannot be verified online.
 */
export function codeTextOf(pathCode: string, codeHost: string): string {
  if (/^https?:\/\//i.test(pathCode) || readNationalTrace(pathCode)) return pathCode;
  return `HTTPS://${codeHost}/V/${pathCode}`;
}

function unreadable(reading: CodeReading): Unverifiable {
  const reason: ReasonCode =
    reading.kind === 'liangzheng'
      ? (reading.failure?.reason ?? 'MALFORMED')
      : reading.kind === 'unknown'
        ? 'MALFORMED'
        : 'UNVERIFIABLE';
  return { valid: false, reason, certificate: null, issuer: null, chain: [] };
}

/**
 * A certificate's state from its stored row: voided, or used up once its ledger has reached its quantity (the
 * ledger only ever charges what fits, so `>=` is reached exactly; the margin absorbs float sums).
 */
export function certificateState(row: {
  status: string;
  quantity: number;
  usedQuantity: number;
}): CertificateState {
  if (row.status === 'void') return 'void';
  return row.usedQuantity >= row.quantity - 1e-9 ? 'used_up' : 'valid';
}

export async function verifyCode(
  deps: VerifyDeps,
  view: TrustView,
  text: string,
): Promise<VerificationResult> {
  const reading = readCode(text, view.index, deps.ed25519);
  const payload = reading.kind === 'liangzheng' ? reading.payload : undefined;
  const failure = reading.kind === 'liangzheng' ? reading.failure : undefined;
  // A payload whose signature did not check out says nothing trustworthy: show nothing of it.
  const trusted = payload && (!failure || failure.layer === 'revocation' || failure.layer === 'keyValidity');
  if (!trusted) return unreadable(reading);

  const stored = await deps.db.certificate.findUnique({
    where: { id: payload.id },
    include: {
      issuer: { select: { name: true, creditGrade: true, active: true } },
      parents: {
        include: {
          parent: {
            select: {
              id: true,
              productName: true,
              issuerName: true,
              unit: true,
              status: true,
              quantity: true,
              usedQuantity: true,
            },
          },
        },
      },
    },
  });
  const graded = stored
    ? await deps.db.creditGrade.findFirst({
        where: { issuerId: stored.issuerId },
        orderBy: { id: 'desc' },
        select: { computedAt: true },
      })
    : null;
  const recall = stored?.recallId
    ? await deps.db.recall.findUnique({ where: { id: stored.recallId }, select: { reason: true, at: true } })
    : null;
  // What the vendor declared when it made this certificate; none when the flag came down from a source certificate.
  const declared =
    stored?.unverifiedSources && stored.transformationId
      ? await unverifiedSourcesOf(deps.db, stored.transformationId)
      : [];
  const revoked = failure?.layer === 'revocation';
  const state: CertificateState = revoked ? 'void' : stored ? certificateState(stored) : 'valid';
  const reason: ReasonCode | null = state === 'void' ? 'REVOKED' : (failure?.reason ?? null);
  // The registry row knows a deactivated issuer too; the snapshot (active issuers only) covers a certificate
  // signed elsewhere with a key this server trusts.
  const registered = view.index.issuers.get(payload.issuerId);
  return {
    valid: reason === null,
    reason,
    certificate: {
      id: payload.id,
      kind: payload.kind,
      productCode: payload.productCode,
      productName: payload.productName || stored?.productName || '',
      category: payload.category,
      quantity: payload.quantity,
      unit: payload.unit,
      originRegion: payload.originRegion,
      originText: stored?.originText ?? '',
      contact: stored?.contact ?? '',
      basis: payload.basis,
      issuedAt: payload.issuedAt.toISOString(),
      state,
      voidedAt: stored?.voidedAt?.toISOString() ?? null,
      ...(recall ? { recall: { reason: recall.reason, at: recall.at.toISOString() } } : {}),
      ...(stored?.unverifiedSources || view.index.unverifiedSources.has(payload.id)
        ? { unverifiedSources: { declared: declared.map(({ hasPhoto: _photo, ...source }) => source) } }
        : {}),
    },
    issuer: stored
      ? {
          name: stored.issuer.name,
          creditGrade: CreditGrade.safeParse(stored.issuer.creditGrade).data ?? null,
          creditGradedAt: graded?.computedAt.toISOString() ?? null,
          active: stored.issuer.active,
        }
      : registered
        ? { name: registered.name, creditGrade: registered.creditGrade, active: true }
        : null,
    chain: (stored?.parents ?? []).map((link) => ({
      id: link.parent.id,
      productName: link.parent.productName,
      issuerName: link.parent.issuerName,
      quantity: link.quantity,
      unit: link.parent.unit,
      state: certificateState(link.parent),
    })),
  };
}
