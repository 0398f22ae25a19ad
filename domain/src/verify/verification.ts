import type { ReasonCode } from '../reason/reason-code.ts';
import type { CreditGrade } from '../trust/snapshot.ts';

/** What the public learns about one code: the certificate, whether it stands, who issued it, what it came from. */
export type Verification =
  | {
      valid: boolean;
      /** why it is not valid; null when valid */
      reason: ReasonCode | null;
      certificate: {
        id: string;
        kind: string;
        productName: string;
        category: string;
        quantity: number;
        unit: string;
        usedQuantity: number | null;
        originRegion: string;
        originText: string;
        basis: string;
        issuedAt: string;
        status: 'valid' | 'void';
        voidReason: string | null;
        voidedAt: string | null;
      };
      issuer: { name: string; contact: string; creditGrade: CreditGrade | null } | null;
      /** for repack certificates: the certificates it was made from, one level up */
      chain: {
        id: string;
        productName: string;
        issuerName: string;
        quantity: number;
        unit: string;
        status: string;
      }[];
    }
  | { valid: false; reason: ReasonCode; certificate: null; issuer: null; chain: [] };
