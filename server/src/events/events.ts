import { EventEmitter } from 'node:events';

/** In-process events other plugins (live rooms) forward; names are `<entity>.<past tense>`. */
export interface AppEventMap {
  'certificate.voided': [{ certificateId: string; reason: string; at: string; trustVersion: number }];
  'certificate.issued': [{ certificateId: string; issuerId: number; kind: 'producer' | 'repack' }];
  'device.revoked': [{ deviceId: string; gateId: number }];
}

export type AppEvents = EventEmitter<AppEventMap>;

export function createEvents(): AppEvents {
  return new EventEmitter<AppEventMap>();
}
