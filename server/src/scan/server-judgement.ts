import type { Ed25519 } from '@liangzheng/domain';
import type { LotDeclaration, PresentedDocument } from '@liangzheng/domain/lot/lot';
import { judgeLot } from '@liangzheng/domain/verdict/judge-lot';
import type { VerdictResult } from '@liangzheng/domain/verdict/verdict-result';
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
  });
}
