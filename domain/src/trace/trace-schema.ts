import { z } from 'zod';
import { CertificateId } from '../certificate/certificate.ts';

/** One certificate in the chain; `depth` < 0 are its sources (−1 the direct parents), 0 the traced one, > 0 repacks. */
export const TraceCertificate = z.object({
  id: z.string(),
  kind: z.string(),
  depth: z.number().int(),
  issuerId: z.number(),
  issuerName: z.string(),
  issuerRegion: z.string(),
  productCode: z.number(),
  productName: z.string(),
  category: z.string(),
  quantity: z.number(),
  unit: z.string(),
  usedQuantity: z.number(),
  originRegion: z.string(),
  originText: z.string(),
  issuedAt: z.string(),
  status: z.string(),
  /** the sources it was repacked from, with the quantity taken from each (in the source's unit) */
  parents: z.array(z.object({ certificateId: z.string(), quantity: z.number() })),
});
export type TraceCertificate = z.infer<typeof TraceCertificate>;

/** A lot that presented one of the traced certificates at a market gate. */
export const TraceLot = z.object({
  lotId: z.string(),
  certificateId: z.string(),
  marketId: z.number(),
  marketName: z.string(),
  regionCode: z.string(),
  gateId: z.number().nullable(),
  gateName: z.string().nullable(),
  stallId: z.number().nullable(),
  stallNumber: z.string().nullable(),
  productName: z.string(),
  quantity: z.number(),
  unit: z.string(),
  /** quantity charged to the certificate's ledger by this lot, in the certificate's unit */
  quantityClaim: z.number().nullable(),
  openedAt: z.string(),
  status: z.string(),
  outcome: z.string().nullable(),
});
export type TraceLot = z.infer<typeof TraceLot>;

/** A read of one of the traced certificates at a gate. */
export const TraceScan = z.object({
  scanId: z.string(),
  certificateId: z.string(),
  lotId: z.string().nullable(),
  marketId: z.number(),
  marketName: z.string(),
  stallNumber: z.string().nullable(),
  /** the gate of the lot it was read for; null for a read outside a lot */
  gateName: z.string().nullable(),
  source: z.string(),
  receivedAt: z.string(),
  outcome: z.string(),
});
export type TraceScan = z.infer<typeof TraceScan>;

export const CertificateTrace = z.object({
  certificateId: z.string(),
  /** lots and scans are limited to markets under this region prefix; null: all (admins) */
  regionPrefix: z.string().nullable(),
  /** the traced certificate, its sources up to the producer and every repack under it, by depth */
  certificates: z.array(TraceCertificate),
  /** lots that used the traced certificate or a repack under it, oldest first */
  lots: z.array(TraceLot),
  scans: z.array(TraceScan),
  /** true when the chain was cut at the depth or size limit */
  truncated: z.boolean(),
});
export type CertificateTrace = z.infer<typeof CertificateTrace>;

export const TraceParam = z.strictObject({ id: CertificateId });
