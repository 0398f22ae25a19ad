import type { CodeReading, Ed25519, ReasonCode, Verification } from '@liangzheng/domain';
import { readCode } from '@liangzheng/domain';
import type { Db } from '../storage/db.ts';
import type { TrustView } from '../trust/trust-source.ts';

export interface VerifyDeps {
  db: Db;
  ed25519: Ed25519;
  codeHost: string;
}

/** `/V/<code>` carries only the code's path part; the full text is rebuilt on this server's code host. */
export function codeTextOf(pathCode: string, codeHost: string): string {
  return /^https?:\/\//i.test(pathCode) ? pathCode : `HTTPS://${codeHost}/V/${pathCode}`;
}

function unreadable(reading: CodeReading): ReasonCode {
  if (reading.kind === 'liangzheng') return reading.failure?.reason ?? 'MALFORMED';
  return reading.kind === 'unknown' ? 'MALFORMED' : 'UNVERIFIABLE';
}

export async function verifyCode(deps: VerifyDeps, view: TrustView, text: string): Promise<Verification> {
  const reading = readCode(text, view.index, deps.ed25519);
  const payload = reading.kind === 'liangzheng' ? reading.payload : undefined;
  const failure = reading.kind === 'liangzheng' ? reading.failure : undefined;
  // A payload whose signature did not check out says nothing trustworthy: show nothing of it.
  const trusted = payload && (!failure || failure.layer === 'revocation' || failure.layer === 'keyValidity');
  if (!trusted)
    return { valid: false, reason: unreadable(reading), certificate: null, issuer: null, chain: [] };

  const stored = await deps.db.certificate.findUnique({
    where: { id: payload.id },
    include: {
      parents: {
        include: {
          parent: { select: { id: true, productName: true, issuerName: true, unit: true, status: true } },
        },
      },
    },
  });
  const issuer = view.index.issuers.get(payload.issuerId);
  const status = stored?.status === 'void' || failure?.layer === 'revocation' ? 'void' : 'valid';
  const reason: ReasonCode | null = status === 'void' ? 'REVOKED' : (failure?.reason ?? null);
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
      usedQuantity: stored?.usedQuantity ?? null,
      originRegion: payload.originRegion,
      originText: stored?.originText ?? '',
      basis: payload.basis,
      issuedAt: payload.issuedAt.toISOString(),
      status,
      voidReason: stored?.voidReason ?? null,
      voidedAt: stored?.voidedAt?.toISOString() ?? null,
    },
    issuer: issuer
      ? { name: issuer.name, contact: issuer.contact, creditGrade: issuer.creditGrade }
      : stored
        ? { name: stored.issuerName, contact: stored.contact, creditGrade: null }
        : null,
    chain: (stored?.parents ?? []).map((link) => ({
      id: link.parent.id,
      productName: link.parent.productName,
      issuerName: link.parent.issuerName,
      quantity: link.quantity,
      unit: link.parent.unit,
      status: link.parent.status,
    })),
  };
}
