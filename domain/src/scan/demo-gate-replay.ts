import { z } from 'zod';

/**
 * The simulated gate, replayed from the gate screen in demo mode (docs/demo.md): the demo gate device plays
 * `gate-agent/simulate/demo-gate.json` against the server, so a newcomer sees scans arrive.
 */

/** `GET /api/v1/demo/gate-replay`: whether this server can replay (it runs with demo data) and whether it is. */
export const DemoGateReplayStatus = z.object({
  /** the database has the demo gate device: the server runs with demo data */
  available: z.boolean(),
  running: z.boolean(),
  /** the gate the simulated scans arrive at; null without demo data */
  gateId: z.number().int().nullable(),
});
export type DemoGateReplayStatus = z.infer<typeof DemoGateReplayStatus>;

/** `POST /api/v1/demo/gate-replay` → 202: the replay started at this gate. */
export const DemoGateReplayStarted = z.object({
  gateId: z.number().int(),
  startedAt: z.string(),
});
export type DemoGateReplayStarted = z.infer<typeof DemoGateReplayStarted>;
