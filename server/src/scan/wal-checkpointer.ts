import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/** How often the worker copies committed WAL frames into the database file. */
const everyMs = 200;

/**
 * The WAL size past which the worker waits for a gap between commits to empty the WAL, and the size every
 * connection truncates it back to. Copying this much into the database costs a commit a short wait once per
 * 64 MB written, instead of a WAL that grew to 418 MB within minutes of a load test.
 */
export const defaultWalLimitBytes = 64 * 1024 * 1024;

/** How long the worker may hold up commits to empty a WAL past the limit. */
const truncateWaitMs = 1000;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

export interface WalCheckpointerOptions {
  walLimitBytes?: number;
}

// Plain CommonJS run with `eval`, so the worker needs neither tsx nor a file of its own.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
db.pragma('journal_size_limit = ' + workerData.walLimitBytes);
const pageSize = db.pragma('page_size', { simple: true });
function truncate(waitMs) {
  db.pragma('busy_timeout = ' + waitMs);
  try { db.pragma('wal_checkpoint(TRUNCATE)'); } finally { db.pragma('busy_timeout = 0'); }
}
function checkpoint() {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (log * pageSize > workerData.walLimitBytes) truncate(workerData.truncateWaitMs);
  } catch {}
}
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.postMessage('stopped');
});
`;

/**
 * Takes WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses
 * 1,000 WAL pages: it copies those pages into the database and syncs the file, so every ~50th scan batch
 * stalled the server for tens of milliseconds. The scan connection turns that off and a worker thread with its
 * own connection checkpoints instead. PASSIVE never takes the write lock, so it never stalls a commit. When it
 * has caught up, the next commit starts the WAL over and `journal_size_limit` cuts the file back: no TRUNCATE is
 * needed for that, and a TRUNCATE there held every writer behind its fsync (SQLITE_BUSY in a seed transaction
 * on a busy disk). Under unbroken saturation PASSIVE never catches up and the WAL would grow without end, so past
 * `walLimitBytes` the worker waits for a gap between commits and empties it.
 */
export function startWalCheckpointer(
  db: Database,
  { walLimitBytes = defaultWalLimitBytes }: WalCheckpointerOptions = {},
): WalCheckpointer | undefined {
  if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${walLimitBytes}`);
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file: db.name,
      everyMs,
      walLimitBytes,
      truncateWaitMs,
    },
  });
  worker.unref();
  let stopped: Promise<void> | undefined;
  return {
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        worker.once('message', () => {
          void worker.terminate().then(() => resolve());
        });
        worker.once('error', () => resolve());
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      });
      return stopped;
    },
  };
}
