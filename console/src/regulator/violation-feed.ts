import { ViolationChangedEvent, ViolationCreatedEvent } from '@liangzheng/domain/live/live-events';
import { io } from 'socket.io-client';

/** Violations opening or moving in the regulator's region, as they happen. */
export interface ViolationFeed {
  follow(onChange: (violationId: string) => void): () => void;
}

/** Regulators join their region room on connect, so there is nothing to `watch`. */
export const socketViolationFeed: ViolationFeed = {
  follow(onChange) {
    const socket = io({ withCredentials: true, transports: ['websocket', 'polling'] });
    socket.on('violation:created', (payload: unknown) => {
      const event = ViolationCreatedEvent.safeParse(payload);
      if (event.success) onChange(event.data.violationId);
    });
    socket.on('violation:changed', (payload: unknown) => {
      const event = ViolationChangedEvent.safeParse(payload);
      if (event.success) onChange(event.data.violationId);
    });
    return () => {
      socket.close();
    };
  },
};
