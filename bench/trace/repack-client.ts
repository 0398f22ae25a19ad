/**
 * The repack load in a thread of its own (see `repackClientThread`): what a separate client machine would be, so
 * that the server's event loop serves only the server. It says when it is loaded, then runs the load when told.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type RepackLoadParameters, repackLoad } from './custody-load.ts';

const load = workerData as RepackLoadParameters;
const port = parentPort!;
port.once('message', async () => {
  port.postMessage(
    await repackLoad(
      load.base,
      load.vendor,
      load.stallId,
      load.itemIds,
      load.writers,
      load.seconds,
      load.oneSource,
    ),
  );
});
port.postMessage('loaded');
