import type { Trace } from '../api/api.ts';

export type TraceCertificate = Trace['certificates'][number];
export type TraceLot = Trace['lots'][number];
export type TraceScan = Trace['scans'][number];

export interface TraceNode {
  certificate: TraceCertificate;
  children: TraceNode[];
  lots: TraceLot[];
  scans: TraceScan[];
}

export interface TraceView {
  /** the traced certificate first, then its sources level by level up to the producers */
  up: TraceCertificate[];
  down: TraceNode;
}

/**
 * Arranges the server's flat trace for the screen: sources by depth, and the repacks under the certificate as a
 * tree, each node with the lots and scans that used it. Undefined if the trace lacks its own certificate.
 */
export function traceView(trace: Trace): TraceView | undefined {
  const root = trace.certificates.find((c) => c.depth === 0);
  if (!root) return undefined;
  const up = trace.certificates.filter((c) => c.depth <= 0).sort((a, b) => b.depth - a.depth);
  const below = trace.certificates.filter((c) => c.depth > 0);
  const node = (certificate: TraceCertificate): TraceNode => ({
    certificate,
    // A repack of two traced repacks appears under each; depth only grows, so this ends.
    children: below
      .filter((c) => c.depth > certificate.depth && c.parents.some((p) => p.certificateId === certificate.id))
      .map(node),
    lots: trace.lots.filter((l) => l.certificateId === certificate.id),
    scans: trace.scans.filter((s) => s.certificateId === certificate.id),
  });
  return { up, down: node(root) };
}
