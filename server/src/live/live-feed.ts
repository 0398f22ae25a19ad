/**
 * Where the rest of the server sends live events. The socket.io implementation fans them out to rooms (across
 * nodes with the Redis adapter); tests and scripts without sockets use `recordingFeed`.
 */
export interface LiveFeed {
  toGate(gateId: number, event: string, payload: unknown): void;
  toMarket(marketId: number, event: string, payload: unknown): void;
  /** reaches regulators of every prefix of the region: province, city and county */
  toRegion(regionCode: string, event: string, payload: unknown): void;
  toAgents(event: string, payload: unknown): void;
}

export interface RecordedEvent {
  room: string;
  event: string;
  payload: unknown;
}

export function gateRoom(gateId: number): string {
  return `gate:${gateId}`;
}

export function marketRoom(marketId: number): string {
  return `market:${marketId}`;
}

export function regionRoom(prefix: string): string {
  return `region:${prefix}`;
}

export const agentsRoom = 'agents';

/** The region rooms an event about `regionCode` goes to: 2, 4 and 6 leading digits. */
export function regionRooms(regionCode: string): string[] {
  return [2, 4, 6].map((digits) => regionRoom(regionCode.slice(0, digits)));
}

export function recordingFeed(): LiveFeed & { events: RecordedEvent[] } {
  const events: RecordedEvent[] = [];
  return {
    events,
    toGate: (gateId, event, payload) => events.push({ room: gateRoom(gateId), event, payload }),
    toMarket: (marketId, event, payload) => events.push({ room: marketRoom(marketId), event, payload }),
    toRegion: (regionCode, event, payload) => {
      for (const room of regionRooms(regionCode)) events.push({ room, event, payload });
    },
    toAgents: (event, payload) => events.push({ room: agentsRoom, event, payload }),
  };
}
