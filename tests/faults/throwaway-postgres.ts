import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL server of our own in a temp folder, on a free port, run as the `postgres` user: the shared
 * server on 5432 serves other people's tests and must never be stopped.
 */
export class ThrowawayPostgres {
  readonly dir = mkdtempSync(join(tmpdir(), 'lz-pg-'));
  readonly data = join(this.dir, 'data');

  constructor(readonly port: number) {}

  /** Why one cannot be run here, or undefined when it can. */
  static unavailable(): string | undefined {
    if (!existsSync(join(bin, 'initdb'))) return `${bin}/initdb not installed`;
    try {
      execFileSync('id', ['postgres'], { stdio: 'ignore' });
    } catch {
      return 'no postgres user';
    }
    if (process.getuid?.() !== 0) return 'must run as root to switch to the postgres user';
    return undefined;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  private run(args: string[]): void {
    execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'pipe', timeout: 60_000 });
  }

  init(): void {
    chmodSync(this.dir, 0o777);
    this.run([
      join(bin, 'initdb'),
      '-D',
      this.data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-sync',
    ]);
  }

  start(): void {
    const options = `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    this.run([
      join(bin, 'pg_ctl'),
      '-D',
      this.data,
      '-o',
      options,
      '-w',
      '-l',
      join(this.dir, 'log'),
      'start',
    ]);
  }

  stop(): void {
    this.run([join(bin, 'pg_ctl'), '-D', this.data, '-m', 'immediate', '-w', 'stop']);
  }

  destroy(): void {
    try {
      this.stop();
    } catch {
      // already stopped
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
