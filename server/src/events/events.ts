import { EventEmitter } from 'node:events';
import type { RevokedCertificate } from '@liangzheng/domain';

/** In-process events other plugins (live rooms) forward; names are `<entity>.<past tense>`. */
export interface AppEventMap {
  /** certificates voided together (a void and its cascade, a recall), in trust-version order: one event for all */
  'certificate.voided': [{ revoked: RevokedCertificate[]; at: string }];
  'certificate.issued': [{ certificateId: string; issuerId: number; kind: 'producer' | 'repack' }];
  'device.revoked': [{ deviceId: string; gateId: number }];
  /** a violation opened, moved or was decided: its producers' credit is recomputed */
  'violation.changed': [{ violationId: string }];
  /** a rapid test was decided (released, destroyed or returned) */
  'rapid-test.decided': [{ rapidTestId: string }];
  'recall.issued': [{ recallId: string }];
}

export type AppEvents = EventEmitter<AppEventMap>;

export function createEvents(): AppEvents {
  return new EventEmitter<AppEventMap>();
}
