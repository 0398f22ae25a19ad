import { EventEmitter } from 'node:events';

/** In-process events other plugins (live rooms) forward; names are `<entity>.<past tense>`. */
export interface AppEventMap {
  'certificate.voided': [{ certificateId: string; reason: string; at: string; trustVersion: number }];
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
