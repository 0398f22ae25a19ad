import type {
  BatchIssueRequest,
  Certificate,
  IssuedCertificate,
  IssueRequest,
} from '@liangzheng/domain/certificate/certificate-schemas';
import type {
  ProducerCertificate,
  ProducerCertificateList,
} from '@liangzheng/domain/certificate/producer-certificates';
import type { Issuer } from '@liangzheng/domain/registry/registry-schemas';
import type { z } from 'zod';
import type { ApiResult } from '../api/api.ts';

export type IssueBody = z.input<typeof IssueRequest>;
export type BatchBody = z.input<typeof BatchIssueRequest>;
/** `POST /certificates/batch`: every certificate of the day, signed all or none, each with its QR as SVG. */
export interface BatchIssued {
  certificates: { certificate: z.infer<typeof Certificate>; qrSvg: string }[];
}
export type ProducerIssuer = z.infer<typeof Issuer>;
/** One of the producer's certificates with its used quantity and where and when gates read it. */
export type ProducerCertificateView = ProducerCertificate;

/** The verbs the producer's calls use, as `createApi` makes them (errors are values). */
export interface ProducerVerbs {
  get<T>(path: string): Promise<ApiResult<T>>;
  post<T>(path: string, body?: unknown): Promise<ApiResult<T>>;
}

/**
 * A producer's calls (docs/labels.md): the issuer it signs as, one certificate or a day's batch, and its latest
 * certificates with their use and scans in one read.
 */
export function producerCalls({ get, post }: ProducerVerbs) {
  return {
    issuer: (id: number) => get<ProducerIssuer>(`/api/v1/issuers/${encodeURIComponent(String(id))}`),
    issue: (body: IssueBody) => post<z.infer<typeof IssuedCertificate>>('/api/v1/certificates', body),
    issueBatch: (body: BatchBody) => post<BatchIssued>('/api/v1/certificates/batch', body),
    producerCertificates: (limit: number) =>
      get<ProducerCertificateList>(
        `/api/v1/producer/certificates?limit=${encodeURIComponent(String(limit))}`,
      ),
  };
}

export type LabelSize = '60x40' | '60x80';
export type LabelFormat = 'pdf' | 'html';

/** A label to open in the browser: HTML prints one page per copy, the PDF is the single label to keep or share. */
export const labelPrintUrl = (id: string, format: LabelFormat, size: LabelSize, copies: number) =>
  `/api/v1/certificates/${encodeURIComponent(id)}/label?format=${format}&size=${size}&copies=${copies}`;
