import { z } from 'zod';

/** Where a read came from. `wedge` is a scanner typing as a keyboard; `hid` is read from the USB report stream. */
export const readSources = ['hid', 'wedge', 'camera', 'manual'] as const;
export type ReadSourceKind = (typeof readSources)[number];

/** How a read was obtained, kept so a garbled read can be told apart from a forged code. */
export const readProvenanceSchema = z.object({
  /** raw USB reports, hex, in arrival order */
  reports: z.array(z.string().regex(/^([0-9a-f]{2})*$/)).optional(),
  /** milliseconds between consecutive keystrokes (length = characters - 1) */
  keystrokeTimings: z.array(z.number().nonnegative()).optional(),
  /** the decoder (and pass) that produced the text */
  decoder: z.string().optional(),
  /** index of the camera frame within the current ffmpeg run */
  frameIndex: z.number().int().nonnegative().optional(),
  /** true when a calibration map changed at least one character */
  layoutCorrected: z.boolean().optional(),
});
export type ReadProvenance = z.infer<typeof readProvenanceSchema>;

export const readSchema = z.object({
  text: z.string().min(1),
  source: z.enum(readSources),
  /** stable id of the input device, e.g. `hid:0c2e:0b61:1-2`, `evdev:/dev/input/event3`, `camera:rtsp://…` */
  device: z.string().min(1),
  /** AIM id or format name when the input tells it, `unknown` otherwise (keyboards never do) */
  symbology: z.string().min(1),
  receivedAt: z.iso.datetime(),
  provenance: readProvenanceSchema,
});
export type Read = z.infer<typeof readSchema>;

/** Milliseconds since the epoch; passed in so tests fix time. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();

export const toIso = (ms: number): string => new Date(ms).toISOString();
