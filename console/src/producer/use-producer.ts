import type { CertificateFields } from '@liangzheng/domain/certificate/certificate-schemas';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ApiResult, CertificateView, User } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';

/** How many of the producer's latest certificates the list shows at first, and how many more each tap adds. */
export const listPage = 20;

/**
 * A producer's desk: the issuer it signs as, the catalogue, its certificates (newest first), issuing one or a
 * day's batch, and voiding. A producer user's scope names its issuer; any other user has none here.
 */
export function useProducer(user: User) {
  const api = useApi();
  const queries = useQueryClient();
  const issuerId = user.scope.kind === 'issuer' ? user.scope.issuerId : undefined;
  const [limit, setLimit] = useState(listPage);
  const [made, setMade] = useState<CertificateView[] | null>(null);

  const issuer = useQuery({
    queryKey: ['producer-issuer', issuerId],
    queryFn: () => api.issuer(issuerId!),
    enabled: issuerId !== undefined,
  });
  const products = useQuery({ queryKey: ['products'], queryFn: () => api.products() });
  // One read for the whole list: each certificate comes with its used quantity and its scans.
  const certificates = useQuery({
    queryKey: ['producer-certificates', limit],
    queryFn: async () => {
      const answer = await api.producerCertificates(limit);
      return answer.ok ? { ok: true as const, value: answer.value.certificates } : answer;
    },
    placeholderData: (previous) => previous,
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ['producer-certificates'] });

  /** One certificate through the single route (its answer carries the QR), several through the batch. */
  async function issue(items: CertificateFields[]): Promise<ApiResult<CertificateView[]>> {
    if (issuerId === undefined) throw new Error('issue without an issuer');
    const answer =
      items.length === 1
        ? await api.issue({ issuerId, ...items[0]! })
        : await api.issueBatch({ issuerId, items });
    if (!answer.ok) return answer;
    const issued =
      'certificate' in answer.value
        ? [answer.value.certificate]
        : answer.value.certificates.map((c) => c.certificate);
    setMade(issued);
    await refresh();
    return { ok: true, value: issued };
  }

  async function voidCertificate(id: string, reason: string): Promise<ApiResult<CertificateView>> {
    const answer = await api.voidCertificate(id, reason);
    if (answer.ok) {
      setMade((shown) => shown?.map((c) => (c.id === id ? answer.value : c)) ?? null);
      await refresh();
    }
    return answer;
  }

  return {
    issuerId,
    issuer,
    products,
    certificates,
    made,
    issue,
    voidCertificate,
    showMore: () => setLimit((shown) => shown + listPage),
    limit,
  };
}
export type Producer = ReturnType<typeof useProducer>;
