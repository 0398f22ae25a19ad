import { connect } from 'node:net';

/**
 * Raw printing (JetDirect / "port 9100"): open a TCP connection to the printer, write the command bytes, close.
 * Label and receipt printers with a network port all accept it; there is no reply to wait for.
 */
export type PrintSent =
  | { ok: true; bytes: number }
  | { ok: false; code: 'PRINTER_UNREACHABLE'; message: string };

export interface PrinterAddress {
  host: string;
  port: number;
}

export function sendToPrinter(printer: PrinterAddress, bytes: Buffer, timeoutMs = 5_000): Promise<PrintSent> {
  return new Promise((resolve) => {
    const socket = connect({ host: printer.host, port: printer.port });
    const fail = (why: string) => {
      socket.destroy();
      resolve({
        ok: false,
        code: 'PRINTER_UNREACHABLE',
        message: `打印机 ${printer.host}:${printer.port} 无法连接 (printer unreachable: ${why})`,
      });
    };
    socket.setTimeout(timeoutMs, () => fail('timed out'));
    socket.once('error', (e) => fail(e.message));
    socket.once('connect', () => {
      socket.end(bytes, () => {
        socket.destroy();
        resolve({ ok: true, bytes: bytes.length });
      });
    });
  });
}
