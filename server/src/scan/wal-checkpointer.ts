import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/** How often the worker copies committed WAL frames into the database file. */
const everyMs = 200;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

// Plain CommonJS run with `eval`, so the worker needs neither tsx nor a file of its own.
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
function checkpoint() {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
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
 * own connection checkpoints instead. PASSIVE never takes the write lock, so it never stalls a scan commit; the
 * WAL file is reused from its start by the first commit after a checkpoint that caught up, which any pause in
 * arrivals longer than one checkpoint gives (under unbroken saturation the WAL grows until such a pause).
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
