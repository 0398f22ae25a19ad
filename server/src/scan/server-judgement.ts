import type { Ed25519, LotDeclaration, PresentedDocument, VerdictResult } from '@liangzheng/domain';
import { judgeLot } from '@liangzheng/domain';
import type { TrustView } from '../trust/trust-source.ts';

/**
 * The server's call into the shared verdict core: the same judgeLot the agents run, with the server's context:
 * no snapshot age (the server's data is current), the cross-market ledger and the latest rules.
 */
export function judgeOnServer(
  view: TrustView,
  lot: LotDeclaration,
  documents: readonly PresentedDocument[],
  usedElsewhere: (certificateId: string) => number,
  now: Date,
  ed25519: Ed25519,
  closing = false,
): VerdictResult {
  return judgeLot({
    lot,
    documents: [...documents],
    trust: view.index,
    snapshotAge: undefined,
    ledger: usedElsewhere,
    rules: view.rules,
    now,
    ed25519,
    closing,
  });
}
