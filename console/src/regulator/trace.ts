import type { Api, ApiResult, CertificateView, Lot } from '../api/api.ts';

export interface TraceNode {
  certificate: CertificateView;
  children: TraceNode[];
  lots: Lot[];
}

export interface Trace {
  /** the certificate first, then its sources up to the producer */
  up: CertificateView[];
  down: TraceNode;
}

const maxDepth = 8;

/** Repacks and lots under a certificate, from lists already fetched (the server has no trace endpoint). */
export function downstreamOf(
  root: CertificateView,
  certificates: CertificateView[],
  lots: Lot[],
  depth = 0,
): TraceNode {
  const children =
    depth >= maxDepth
      ? []
      : certificates
          .filter((c) => c.parents.some((p) => p.certificateId === root.id))
          .map((c) => downstreamOf(c, certificates, lots, depth + 1));
  const ownLots = lots.filter((l) => l.documents.some((d) => d.certificateId === root.id));
  return { certificate: root, children, lots: ownLots };
}

/** Follows parents breadth-first; a repack of repacks stops at `maxDepth` levels. */
async function upstreamOf(api: Api, root: CertificateView): Promise<CertificateView[]> {
  const seen = new Map([[root.id, root]]);
  let level = [root];
  for (let depth = 0; depth < maxDepth && level.length; depth++) {
    const next: CertificateView[] = [];
    for (const c of level) {
      for (const parent of c.parents) {
        if (seen.has(parent.certificateId)) continue;
        const found = await api.certificate(parent.certificateId);
        if (!found.ok) continue;
        seen.set(found.value.id, found.value);
        next.push(found.value);
      }
    }
    level = next;
  }
  return [...seen.values()];
}

export async function traceCertificate(api: Api, id: string): Promise<ApiResult<Trace>> {
  const root = await api.certificate(id);
  if (!root.ok) return root;
  const [up, certificates, lots] = await Promise.all([
    upstreamOf(api, root.value),
    api.certificates({ limit: 500 }),
    api.lots({ limit: 500 }),
  ]);
  const down = downstreamOf(root.value, certificates.ok ? certificates.value : [], lots.ok ? lots.value : []);
  return { ok: true, value: { up, down } };
}
