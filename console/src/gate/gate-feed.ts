import { ScanAnswer } from '@liangzheng/domain/scan/scan-schema';
import { io } from 'socket.io-client';

export type FeedState = 'connecting' | 'live' | 'offline';

/** The gate room's verdicts as they are stored: the live edge of the gate screen. */
export interface GateFeed {
  watch(
    gateId: number,
    onVerdict: (answer: ScanAnswer) => void,
    onState: (state: FeedState) => void,
  ): () => void;
}

/** socket.io on the same origin; the session cookie authenticates the handshake. Reconnects re-join the room. */
export const socketGateFeed: GateFeed = {
  watch(gateId, onVerdict, onState) {
    const socket = io({ withCredentials: true, transports: ['websocket', 'polling'] });
    onState('connecting');
    socket.on('connect', () => {
      socket.emit('watch', { room: { kind: 'gate', gateId } }, (ack: { ok?: boolean } | undefined) =>
        onState(ack?.ok ? 'live' : 'offline'),
      );
    });
    socket.on('disconnect', () => onState('offline'));
    socket.on('connect_error', () => onState('offline'));
    socket.on('scan:verdict', (payload: unknown) => {
      // A malformed event is dropped rather than shown: the screen must never show a colour it cannot justify.
      const parsed = ScanAnswer.safeParse(payload);
      if (parsed.success) onVerdict(parsed.data);
    });
    return () => {
      socket.close();
    };
  },
};
