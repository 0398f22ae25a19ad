import { z } from 'zod';
import { Certificate } from './certificate-schemas.ts';

/** Where and when a gate read one of the producer's certificates, and the gate's verdict. */
export const ProducerCertificateScan = z.object({
  scanId: z.string(),
  marketId: z.number(),
  marketName: z.string(),
  /** the gate of the lot it was read for; null for a read outside a lot */
  gateName: z.string().nullable(),
  receivedAt: z.string(),
  outcome: z.string(),
});
export type ProducerCertificateScan = z.infer<typeof ProducerCertificateScan>;

/** One of the producer's certificates with how much is used (`usedQuantity`) and its scans, oldest first. */
export const ProducerCertificate = Certificate.extend({ scans: z.array(ProducerCertificateScan) });
export type ProducerCertificate = z.infer<typeof ProducerCertificate>;

/** `GET /producer/certificates`: the producer's own latest certificates, newest first, in one read. */
export const ProducerCertificateQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  /** certificates issued before this instant, for paging newest first */
  before: z.iso.datetime().optional(),
});
export type ProducerCertificateQuery = z.infer<typeof ProducerCertificateQuery>;

export const ProducerCertificateList = z.object({ certificates: z.array(ProducerCertificate) });
export type ProducerCertificateList = z.infer<typeof ProducerCertificateList>;
