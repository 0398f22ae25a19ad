/**
 * The quantity ledger: Certificate.usedQuantity is the cumulative use of a certificate across every market.
 * A lot may be re-judged when another document is scanned for it, so a lot is charged only the difference
 * between what its verdict claims now and what it was already charged.
 */

/** What one certificate stands at, as read in the same request. */
export interface LedgerEntry {
  certificateId: string;
  quantity: number;
  usedQuantity: number;
  status: string;
}

export interface Claim {
  certificateId: string;
  quantity: number;
}

/** Certified quantities are decimals; compare with a tolerance well under any unit printed on a certificate. */
export const ledgerTolerance = 1e-6;

/** The use seen by a lot's judgement: everything charged to the certificate except by this lot itself. */
export function usedByOthers(entry: LedgerEntry, chargedToLot: ReadonlyMap<string, number>): number {
  return Math.max(0, entry.usedQuantity - (chargedToLot.get(entry.certificateId) ?? 0));
}

/** The extra quantity to charge per certificate so the lot's total charge equals its claims. Never negative. */
export function chargeDeltas(claims: readonly Claim[], chargedToLot: ReadonlyMap<string, number>): Claim[] {
  const wanted = new Map<string, number>();
  for (const claim of claims) {
    wanted.set(claim.certificateId, (wanted.get(claim.certificateId) ?? 0) + claim.quantity);
  }
  const deltas: Claim[] = [];
  for (const [certificateId, quantity] of wanted) {
    const delta = quantity - (chargedToLot.get(certificateId) ?? 0);
    if (delta > ledgerTolerance) deltas.push({ certificateId, quantity: delta });
  }
  return deltas;
}

/** The condition the conditional UPDATE enforces in SQL, here for in-memory stores and tests. */
export function fitsLedger(entry: Pick<LedgerEntry, 'quantity' | 'usedQuantity'>, delta: number): boolean {
  return entry.usedQuantity + delta <= entry.quantity + ledgerTolerance;
}

/**
 * What a lot gives back when its claims shrink (a scan undone): per certificate, what it was charged beyond what its
 * verdict claims now. The mirror of chargeDeltas; never negative.
 */
export function ledgerReturns(claims: readonly Claim[], chargedToLot: ReadonlyMap<string, number>): Claim[] {
  const wanted = new Map<string, number>();
  for (const claim of claims) {
    wanted.set(claim.certificateId, (wanted.get(claim.certificateId) ?? 0) + claim.quantity);
  }
  const returns: Claim[] = [];
  for (const [certificateId, charged] of chargedToLot) {
    const back = charged - (wanted.get(certificateId) ?? 0);
    if (back > ledgerTolerance) returns.push({ certificateId, quantity: back });
  }
  return returns;
}
