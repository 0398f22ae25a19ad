import { comparableUnits, toMilli, type Unit } from '../unit/unit.ts';
import type { Claim, Reason } from './verdict-result.ts';

/** A readable certificate offered to cover the lot, in document order. */
export interface CoveringCertificate {
  documentIndex: number;
  /** absent for paper: it cannot be charged in the ledger */
  certificateId?: string;
  quantity: number;
  unit: Unit;
}

export interface Coverage {
  claims: Claim[];
  reasons: Reason[];
}

function describe(milli: number, unit: Unit): string {
  return `${toQuantity(milli, unit)} ${unit}`;
}

function toQuantity(milli: number, unit: Unit): number {
  return milli / toMilli(1, unit);
}

/**
 * Shares the lot's quantity out over the certificates, first presented first, each up to what its ledger has
 * left (a repack certificate's own quantity is what counts for it: its parents were charged when it was issued).
 * Quantities are integer milli-units on a shared scale, so 3 斤 and 1.5 kg are the same amount.
 *
 * `reportShortfall` is false when some certificate could not be counted for another reason (unreadable,
 * voided …): that reason already explains the lot, and a shortfall on top would only be noise.
 */
export function coverLot(
  lot: { quantity: number; unit: Unit },
  certificates: readonly CoveringCertificate[],
  ledger: (certificateId: string) => number,
  reportShortfall: boolean,
): Coverage {
  const claims: Claim[] = [];
  const reasons: Reason[] = [];
  let needed = toMilli(lot.quantity, lot.unit);
  let comparable = 0;
  for (const certificate of certificates) {
    const { documentIndex, certificateId, unit } = certificate;
    if (!comparableUnits(lot.unit, unit)) {
      reasons.push({ code: 'UNIT_MISMATCH', documentIndex, detail: `${unit} vs ${lot.unit}` });
      continue;
    }
    comparable++;
    const certified = toMilli(certificate.quantity, unit);
    const used = certificateId === undefined ? 0 : toMilli(ledger(certificateId), unit);
    const left = certified - used;
    if (left <= 0) {
      reasons.push({
        code: 'QUANTITY_EXCEEDED',
        documentIndex,
        detail: `used ${describe(used, unit)} of ${describe(certified, unit)}`,
      });
      continue;
    }
    const share = Math.min(left, needed);
    needed -= share;
    if (certificateId !== undefined && share > 0) {
      claims.push({ certificateId, quantity: toQuantity(share, unit), unit });
    }
  }
  if (needed > 0 && comparable > 0 && reportShortfall) {
    reasons.push({
      code: 'QUANTITY_EXCEEDED',
      detail: `lot ${lot.quantity} ${lot.unit} exceeds what the certificates have left by ${describe(needed, lot.unit)}`,
    });
  }
  return { claims, reasons };
}
