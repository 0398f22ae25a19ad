import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';

const serverDir = path.resolve(import.meta.dirname, '../..');
const repoDir = path.resolve(serverDir, '..');

describe('the README', () => {
  it('names the SQLite file that `npm start` creates', () => {
    // `npm start` runs `npm run start -w server`, so the server starts in server/ and DATA_DIR resolves there.
    const loaded = loadConfig({});
    if (!loaded.ok) throw new Error(loaded.issues.join('; '));
    const databaseFile = loaded.config.databaseUrl.replace(/^file:/, '');
    const fromServerDir = path.join(serverDir, path.relative(process.cwd(), databaseFile));
    const named = path.relative(repoDir, fromServerDir).split(path.sep).join('/');
    expect(named).toBe('server/data/liangzheng.db');
    const readme = readFileSync(path.join(repoDir, 'README.md'), 'utf8');
    expect(readme).toContain(`\`npm start\` creates \`${named}\``);
  });
});
