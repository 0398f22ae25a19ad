import { buildTrustIndex, type CertificatePayload, encodeCertificate } from '@liangzheng/domain';
import { nodeEd25519 } from '@liangzheng/domain/certificate/ed25519-node';
import { defaultRuleSet } from '@liangzheng/domain/rules/default-rule-set';
import {
  producerPayload,
  scenarioKeys,
  scenarioSnapshot,
  vectorClock,
} from '../../domain/test-vectors/scenario.ts';
import type { TrustState } from '../src/verdict/provisional.ts';

/** The domain's shared test scenario: keys, a snapshot (v42) and a clock at 2026-05-17T04:00Z. */
export const keys = scenarioKeys(nodeEd25519);
export const now = vectorClock;
export const snapshot = { ...scenarioSnapshot(keys), rules: defaultRuleSet };

export function trustState(receivedAt: Date, overrides: Partial<typeof snapshot> = {}): TrustState {
  const merged = { ...snapshot, ...overrides };
  return { index: buildTrustIndex(merged), version: merged.version, receivedAt };
}

export function codeText(fields: Partial<CertificatePayload> = {}): string {
  const result = encodeCertificate(
    { ...producerPayload(keys, fields), keyId: keys.producer.keyId },
    keys.producer,
  );
  if (!result.ok) throw new Error(`encode failed: ${result.error}`);
  return result.text;
}
