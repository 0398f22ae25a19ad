import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/** How often the worker copies committed WAL frames into the database file. */
const everyMs = 200;
/** Past this, the worker waits for a gap between writes to truncate the WAL, so it cannot grow without bound. */
const truncateAboveBytes = 64 * 1024 * 1024;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

// Plain CommonJS run with `eval`, so the worker needs neither tsx nor a file of its own.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
const walFile = workerData.file + '-wal';
function walBytes() {
  try { return fs.statSync(walFile).size; } catch { return 0; }
}
function checkpoint(mode) {
  try { db.pragma('wal_checkpoint(' + mode + ')'); } catch {}
}
const timer = setInterval(() => {
  checkpoint(walBytes() > workerData.truncateAboveBytes ? 'TRUNCATE' : 'PASSIVE');
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint('PASSIVE');
  db.close();
  parentPort.postMessage('stopped');
});
`;

/**
 * Takes WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever commit crosses
 * 1,000 WAL pages: it copies those pages into the database and syncs the file, so every ~50th scan batch
 * stalled the server for tens of milliseconds. The scan connection turns that off and a worker thread with its
 * own connection checkpoints instead (PASSIVE: it never blocks a writer; with busy_timeout 0 a TRUNCATE that
 * meets a writer gives up and retries on the next tick).
 */
export function startWalCheckpointer(db: Database): WalCheckpointer | undefined {
  if (db.memory || db.pragma('journal_mode', { simple: true }) !== 'wal') return undefined;
  db.pragma('wal_autocheckpoint = 0');
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {
      driver: createRequire(import.meta.url).resolve('better-sqlite3'),
      file: db.name,
      everyMs,
      truncateAboveBytes,
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
