import { LotCreate, LotDeclaration, maxPhotoBase64Chars, PaperFields } from '@liangzheng/domain';
import { z } from 'zod';
import type { Gate } from '../gate.ts';
import { manualRead } from '../read/manual.ts';
import { type ExplainedReason, explain } from './gate-status.ts';

/** The server's bound on a paper photo (base64, ~150 KB), told here in both languages. */
const PaperPhoto = z
  .string()
  .max(maxPhotoBase64Chars, '照片太大，最多约 150 KB / photo too large: at most ~150 KB')
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, '照片须为 base64 / photo must be base64');

/** Which certificate the arrival came with: codes still to scan, none at all, or a paper one. */
const ArrivalCertificate = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('code') }),
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('paper'), fields: PaperFields, photo: PaperPhoto.optional() }),
]);

/** Body of `POST /manual/lots`: a new arrival entered by hand at the gate. */
export const ManualLot = z.strictObject({
  plate: LotCreate.shape.plate,
  supplier: LotCreate.shape.supplier,
  declaration: LotDeclaration,
  certificate: ArrivalCertificate.default({ kind: 'code' }),
});
export type ManualLot = z.output<typeof ManualLot>;

/** Body of `POST /manual/codes`: a code typed (or pasted) from a certificate whose QR cannot be read. */
export const ManualCode = z.strictObject({
  text: z.string().trim().min(1, '请输入证码 / enter the code').max(2048),
  operator: z.string().trim().max(32).default('gate'),
});
export type ManualCode = z.output<typeof ManualCode>;

/** What the page shows after an entry; the big panel gets the same verdict through the status stream. */
export interface ManualAnswer {
  lotId: string;
  scanId: string | null;
  verdict: { outcome: string; reasons: ExplainedReason[] } | null;
}

export interface ManualDesk {
  registerLot(input: ManualLot): ManualAnswer;
  /** null when nothing is left of the code once trimmed */
  enterCode(input: ManualCode): ManualAnswer | null;
  /** 本车扫完: closes the arrival being scanned; null when none is open */
  closeLot(): ManualAnswer | null;
}

/**
 * Hand entry at the gate goes through the gate itself: an arrival is journaled like a scripted one, and a
 * typed code becomes a read with source `manual`, judged, journaled, sounded and uploaded like a scanned one.
 * Both are durable before this returns.
 */
export function manualDesk(gate: Gate, localNow: () => number): ManualDesk {
  return {
    registerLot(input) {
      const { certificate } = input;
      const { lot, verdict } = gate.registerArrival(input.declaration, {
        plate: input.plate,
        supplier: input.supplier,
        noCertificate: certificate.kind === 'none',
        documents:
          certificate.kind === 'paper'
            ? [
                {
                  type: 'paper',
                  fields: certificate.fields,
                  ...(certificate.photo ? { photo: certificate.photo } : {}),
                },
              ]
            : [],
      });
      return {
        lotId: lot.id,
        scanId: null,
        verdict: verdict ? { outcome: verdict.outcome, reasons: explain(verdict.reasons) } : null,
      };
    },
    enterCode(input) {
      const read = manualRead(input.text, input.operator, localNow());
      if (!read) return null;
      const entry = gate.judge(read);
      return {
        lotId: entry.lotId,
        scanId: entry.scanId,
        verdict: { outcome: entry.verdict.outcome, reasons: explain(entry.verdict.reasons) },
      };
    },
    closeLot() {
      const closed = gate.closeLot();
      if (!closed) return null;
      const { outcome, reasons } = closed.verdict;
      return { lotId: closed.lotId, scanId: null, verdict: { outcome, reasons: explain(reasons) } };
    },
  };
}
