import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A SQLite URL in a fresh temporary folder, and a way to remove it. */
export function scratchSqliteUrl(): { url: string; file: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'lz-prisma-'));
  const file = path.join(dir, 'nested', 'test.db');
  return { url: `file:${file}`, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
