import { createServer, type Server } from 'node:net';

/**
 * A stand-in network label printer on the loopback: it accepts raw-port connections and keeps what each one
 * sent, so tests check the exact bytes a real printer would get.
 */
export interface PrinterSink {
  port: number;
  /** the bytes of each finished connection, in order */
  jobs(): Buffer[];
  /** resolves when `count` jobs have arrived */
  waitForJobs(count: number): Promise<Buffer[]>;
  close(): Promise<void>;
}

export async function startPrinterSink(): Promise<PrinterSink> {
  const jobs: Buffer[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      jobs.push(Buffer.concat(chunks));
      for (const wake of waiters.splice(0)) wake();
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // A sink left open by a failed test must not keep the test worker alive.
  server.unref();
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('sink has no TCP port');
  return {
    port: address.port,
    jobs: () => [...jobs],
    async waitForJobs(count) {
      while (jobs.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return [...jobs];
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A loopback port with nothing listening on it: taken from the OS, then let go. */
export async function closedPort(): Promise<number> {
  const sink = await startPrinterSink();
  await sink.close();
  return sink.port;
}
