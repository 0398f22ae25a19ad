import { comparableUnits, toMilli, type Unit } from '../unit/unit.ts';
import type { Claim, LotCoverage, Reason } from './verdict-result.ts';

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
  /**
   * How much of the declared quantity the certificates cover, in the lot's unit. Null when no certificate could be
   * counted against the lot at all (none shown, all unreadable or in another kind of unit).
   */
  coverage: LotCoverage | null;
  /** the lot is still short and more certificates may come: the lot is pending, not yet judged on quantity */
  awaitingMore: boolean;
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
 * A certificate with nothing left is re-use (QUANTITY_EXCEEDED) at once, whatever else is shown. A lot that is
 * merely short is another matter: a truck often carries several certificates for one lot, read one after the
 * other. While the lot is open the shortfall only makes it pending; when it is closed (by staff, by the sweep, or
 * because nothing more can come, as with paper) the shortfall becomes INSUFFICIENT_COVERAGE.
 *
 * `countable` is false when some certificate could not be counted for another reason (unreadable, voided …):
 * that reason already explains the lot, and a shortfall on top would only be noise.
 */
export function coverLot(
  lot: { quantity: number; unit: Unit },
  certificates: readonly CoveringCertificate[],
  ledger: (certificateId: string) => number,
  countable: boolean,
  closing: boolean,
): Coverage {
  const claims: Claim[] = [];
  const reasons: Reason[] = [];
  const declared = toMilli(lot.quantity, lot.unit);
  let needed = declared;
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
  const coverage: LotCoverage | null =
    comparable === 0
      ? null
      : {
          covered: toQuantity(declared - needed, lot.unit),
          declared: lot.quantity,
          unit: lot.unit,
        };
  const short = needed > 0 && comparable > 0 && countable;
  if (short && closing) {
    reasons.push({
      code: 'INSUFFICIENT_COVERAGE',
      detail: `certificates cover ${describe(declared - needed, lot.unit)} of ${describe(declared, lot.unit)}`,
    });
  }
  return { claims, reasons, coverage, awaitingMore: short && !closing };
}
