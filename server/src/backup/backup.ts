import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { createPrismaClient, createPrivateFile, openRawSqlite, privateFileMode } from '@liangzheng/prisma';
import { verifyAuditChain } from '../audit/audit-log.ts';

/** What a backup holds, written beside it as `<file>.json` so a restore can be checked before it is trusted. */
export interface BackupManifest {
  database: 'sqlite' | 'postgresql';
  file: string;
  bytes: number;
  sha256: string;
  takenAt: string;
  /** rows of the records the law says to keep, as the copy holds them */
  counts: { certificates: number; scans: number; lots: number; violations: number };
  /** audit rows whose hash chain verified in the copy */
  auditRows: number;
}

export type BackupErrorCode =
  | 'BACKUP_TARGET_EXISTS'
  | 'BACKUP_FAILED'
  | 'BACKUP_CORRUPT'
  | 'AUDIT_CHAIN_BROKEN'
  | 'PG_DUMP_MISSING';

export type BackupResult =
  | { ok: true; manifest: BackupManifest }
  | { ok: false; code: BackupErrorCode; message: string };

export interface BackupProgress {
  /** bytes written so far */
  done: number;
  /** bytes expected (an estimate from the source's used pages); 0 when unknown */
  total: number;
}

const progressEveryMs = 500;

/**
 * Copies the database at `databaseUrl` to `destination` while the server keeps running, then checks the copy:
 * SQLite through `VACUUM INTO` (one consistent read transaction; WAL writers carry on) in a worker thread, so
 * progress can be reported from the file's growth, then integrity_check and the audit hash chain on the copy;
 * PostgreSQL through `pg_dump --format=custom`, restored into a scratch database on the same server for the same
 * checks, then dropped.
 */
export async function backupDatabase(
  databaseUrl: string,
  destination: string,
  onProgress: (progress: BackupProgress) => void = () => {},
): Promise<BackupResult> {
  if (existsSync(destination)) {
    return {
      ok: false,
      code: 'BACKUP_TARGET_EXISTS',
      message: `${destination} exists; backups never overwrite`,
    };
  }
  // Owner-only before anything is written into it: VACUUM INTO and pg_dump both keep an existing file's mode.
  createPrivateFile(destination);
  return databaseUrl.startsWith('file:')
    ? backupSqlite(databaseUrl, destination, onProgress)
    : backupPostgresql(databaseUrl, destination, onProgress);
}

// Plain CommonJS run with `eval`, so the worker needs neither tsx nor a file of its own.
const vacuumWorker = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.source, { readonly: true });
try {
  db.prepare('VACUUM INTO ?').run(workerData.destination);
  parentPort.postMessage({ ok: true });
} catch (error) {
  parentPort.postMessage({ ok: false, message: String(error && error.message || error) });
} finally {
  db.close();
}
`;

async function backupSqlite(
  databaseUrl: string,
  destination: string,
  onProgress: (progress: BackupProgress) => void,
): Promise<BackupResult> {
  const source = openRawSqlite(databaseUrl);
  const pageSize = source.pragma('page_size', { simple: true }) as number;
  const pages = source.pragma('page_count', { simple: true }) as number;
  const free = source.pragma('freelist_count', { simple: true }) as number;
  const file = source.name;
  source.close();
  const total = (pages - free) * pageSize;

  const worker = new Worker(vacuumWorker, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      source: file,
      destination,
    },
  });
  const timer = setInterval(() => {
    if (existsSync(destination)) onProgress({ done: statSync(destination).size, total });
  }, progressEveryMs);
  const copied = await new Promise<{ ok: boolean; message?: string }>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (error) => resolve({ ok: false, message: error.message }));
  }).finally(() => {
    clearInterval(timer);
    void worker.terminate();
  });
  if (!copied.ok)
    return { ok: false, code: 'BACKUP_FAILED', message: copied.message ?? 'VACUUM INTO failed' };
  onProgress({ done: statSync(destination).size, total });

  const copy = openRawSqlite(`file:${destination}`);
  const integrity = copy.pragma('integrity_check', { simple: true });
  copy.close();
  if (integrity !== 'ok') {
    return { ok: false, code: 'BACKUP_CORRUPT', message: `integrity_check on the copy: ${integrity}` };
  }
  return checkedCopy('sqlite', destination, `file:${destination}`);
}

/** Verifies the audit chain of a restored copy and counts what it keeps. */
async function checkedCopy(
  database: BackupManifest['database'],
  file: string,
  copyUrl: string,
): Promise<BackupResult> {
  const db = createPrismaClient(copyUrl);
  try {
    const chain = await verifyAuditChain(db);
    if (!chain.ok) {
      return {
        ok: false,
        code: 'AUDIT_CHAIN_BROKEN',
        message: `the copy's audit chain breaks at seq ${chain.firstBadSeq} (${chain.problem})`,
      };
    }
    const [certificates, scans, lots, violations] = await Promise.all([
      db.certificate.count(),
      db.scan.count(),
      db.lot.count(),
      db.violation.count(),
    ]);
    return {
      ok: true,
      manifest: await manifestOf(database, file, { certificates, scans, lots, violations }, chain.rows),
    };
  } finally {
    await db.$disconnect();
  }
}

async function backupPostgresql(
  databaseUrl: string,
  destination: string,
  onProgress: (progress: BackupProgress) => void,
): Promise<BackupResult> {
  const dump = await run(
    'pg_dump',
    ['--format=custom', '--no-owner', `--file=${destination}`, databaseUrl],
    () => onProgress({ done: existsSync(destination) ? statSync(destination).size : 0, total: 0 }),
  );
  if (dump.missing) {
    return {
      ok: false,
      code: 'PG_DUMP_MISSING',
      message: 'pg_dump not found: install the PostgreSQL client (Debian: postgresql-client)',
    };
  }
  if (dump.code !== 0) return { ok: false, code: 'BACKUP_FAILED', message: `pg_dump: ${dump.stderr.trim()}` };
  const size = statSync(destination).size;
  onProgress({ done: size, total: size });
  // A dump is trusted once it has been restored: into a scratch database on the same server, checked, dropped.
  const scratch = `lz_restore_check_${randomBytes(4).toString('hex')}`;
  const admin = createPrismaClient(databaseUrl);
  try {
    await admin.$executeRawUnsafe(`CREATE DATABASE ${scratch}`);
    const scratchUrl = new URL(databaseUrl);
    scratchUrl.pathname = `/${scratch}`;
    const restored = await run(
      'pg_restore',
      ['--no-owner', '--exit-on-error', `--dbname=${scratchUrl.toString()}`, destination],
      () => {},
    );
    if (restored.code !== 0) {
      return { ok: false, code: 'BACKUP_CORRUPT', message: `pg_restore: ${restored.stderr.trim()}` };
    }
    return await checkedCopy('postgresql', destination, scratchUrl.toString());
  } finally {
    await admin.$executeRawUnsafe(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`).catch(() => {});
    await admin.$disconnect();
  }
}

/** The manifest beside the backup, `<file>.json`, owner-only like the backup itself. */
export function writeBackupManifest(destination: string, manifest: BackupManifest): void {
  writeFileSync(`${destination}.json`, `${JSON.stringify(manifest, null, 2)}\n`, { mode: privateFileMode });
}

async function manifestOf(
  database: BackupManifest['database'],
  file: string,
  counts: BackupManifest['counts'],
  auditRows: number,
): Promise<BackupManifest> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return {
    database,
    file,
    bytes: statSync(file).size,
    sha256: hash.digest('hex'),
    takenAt: new Date().toISOString(),
    counts,
    auditRows,
  };
}

function run(
  command: string,
  args: string[],
  tick: () => void,
): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const timer = setInterval(tick, progressEveryMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearInterval(timer);
      resolve({ code: null, stdout, stderr: error.message, missing: error.code === 'ENOENT' });
    });
    child.once('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout, stderr, missing: false });
    });
  });
}
