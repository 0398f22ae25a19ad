import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Fixtures transcribed from public sources, one folder per model; each file names its source in `provenance`. */
const root = join(import.meta.dirname, 'fixtures/hid');

const read = (model: string, file: string) =>
  JSON.parse(readFileSync(join(root, model, file), 'utf8')) as Record<string, unknown>;

export const publishedDescriptor = (model: string): Uint8Array =>
  Uint8Array.from(Buffer.from(String(read(model, 'descriptor.json').descriptor), 'hex'));

export const publishedDescriptorHex = (model: string): string =>
  String(read(model, 'descriptor.json').descriptor);

export const publishedReports = (model: string) =>
  read(model, 'reports.json') as { reports: string[]; expected: string[]; symbology: string };
