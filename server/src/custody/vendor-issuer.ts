import { parseCreditCode } from '@liangzheng/domain/subject/credit-code';
import type { AuditLog } from '../audit/audit-log.ts';
import { ApiProblem } from '../http/error-code.ts';
import type { Keyring } from '../keyring/keyring.ts';
import { rotateIssuerKey } from '../registry/issuer-key.service.ts';
import type { Db } from '../storage/db.ts';

export interface VendorIssuerDeps {
  db: Db;
  keyring: Keyring;
  audit: AuditLog;
  now: () => Date;
}

/**
 * Gives a vendor its own repacker identity (承诺主体 for its 样式二 certificates): a repacker issuer with the
 * vendor's name, subject id and contact in its market's region, with a platform-held key, linked to the vendor
 * file. A registered issuer with the same subject id (a cooperative that also keeps a stall) is linked instead.
 */
export async function linkVendorIssuer(
  deps: VendorIssuerDeps,
  actor: string,
  vendorId: number,
  regionCode: string,
) {
  return deps.db.$transaction(async (tx) => {
    const vendor = await tx.vendor.findUniqueOrThrow({ where: { id: vendorId } });
    if (vendor.issuerId !== null) {
      throw new ApiProblem('ALREADY_EXISTS', 'the vendor already issues in its own name');
    }
    const now = deps.now();
    const existing = await tx.issuer.findUnique({ where: { subjectId: vendor.subjectId } });
    const issuer =
      existing ??
      (await tx.issuer.create({
        data: {
          kind: 'repacker',
          name: vendor.name,
          subjectId: vendor.subjectId,
          subjectIdKind: parseCreditCode(vendor.subjectId).ok ? 'uscc' : 'other',
          contact: vendor.contact,
          regionCode,
          creditGrade: vendor.creditGrade,
        },
      }));
    if (!issuer.active) throw new ApiProblem('INACTIVE', 'the issuer with this subject id is deactivated');
    await tx.trustChange.create({ data: { kind: 'issuer', ref: String(issuer.id), at: now } });
    const active = await tx.issuerKey.findFirst({ where: { issuerId: issuer.id, status: 'active' } });
    const key = active ?? (await rotateIssuerKey(tx, deps.keyring, issuer.id, now));
    await tx.vendor.update({ where: { id: vendorId }, data: { issuerId: issuer.id } });
    await deps.audit.append(tx, {
      actor,
      action: 'vendor.issuer_linked',
      entity: 'vendor',
      entityId: String(vendorId),
      data: { issuerId: issuer.id, created: existing === null, keyId: key.keyId },
    });
    return {
      vendorId,
      issuerId: issuer.id,
      issuerName: issuer.name,
      keyId: key.keyId,
      created: existing === null,
    };
  });
}
