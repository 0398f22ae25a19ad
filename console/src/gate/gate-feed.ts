import { ScanReversedEvent } from '@liangzheng/domain/live/live-events';
import type { ScanReversal } from '@liangzheng/domain/scan/scan-reversal';
import { ScanAnswer } from '@liangzheng/domain/scan/scan-schema';
import { io } from 'socket.io-client';

export type FeedState = 'connecting' | 'live' | 'offline';

/** The gate room's verdicts as they are stored, and scans undone there: the live edge of the gate screen. */
export interface GateFeed {
  watch(
    gateId: number,
    onVerdict: (answer: ScanAnswer) => void,
    onState: (state: FeedState) => void,
    onReversal: (reversal: ScanReversal) => void,
  ): () => void;
}

/** socket.io on the same origin; the session cookie authenticates the handshake. Reconnects re-join the room. */
export const socketGateFeed: GateFeed = {
  watch(gateId, onVerdict, onState, onReversal) {
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
    // A scan undone on any screen of this gate: every screen stops offering it and lists the lot again.
    socket.on('scan:reversed', (payload: unknown) => {
      const parsed = ScanReversedEvent.safeParse(payload);
      if (parsed.success) onReversal(parsed.data);
    });
    return () => {
      socket.close();
    };
  },
};
