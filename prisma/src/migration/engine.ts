import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import { StorageError } from '../storage-error.ts';

export type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm/schema_engine_bg';
export type SchemaEngine = glue.SchemaEngine;

/** One Prisma schema file, as the engine takes it. */
export interface SchemaFile {
  path: string;
  content: string;
}

export const noFilter = { externalTables: [], externalEnums: [] };

const glueModule = './schema_engine_bg.js';
let started = false;

/** The part of the WebAssembly global used here; the project's lib settings (ES2023, no DOM) do not declare it. */
interface WasmApi {
  Module: {
    new (bytes: Uint8Array): object;
    imports(module: object): { module: string; name: string }[];
  };
  Instance: new (module: object, imports: Record<string, unknown>) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/**
 * Starts the schema engine the prisma CLI ships (build/schema_engine_bg.wasm, the build matching our prisma
 * version) with the wasm-bindgen glue of @prisma/schema-engine-wasm; the CLI bundles no glue of its own.
 * Node 20 cannot `import` a .wasm file, so the module is instantiated by hand.
 */
function startEngineModule(): void {
  if (started) return;
  const require = createRequire(import.meta.url);
  const wasmFile = path.join(
    path.dirname(require.resolve('prisma/package.json')),
    'build/schema_engine_bg.wasm',
  );
  const module = new wasm.Module(readFileSync(wasmFile));
  const missing = wasm.Module.imports(module).filter(
    (entry) =>
      entry.module !== glueModule || typeof (glue as Record<string, unknown>)[entry.name] !== 'function',
  );
  if (missing.length > 0) {
    const names = missing.map((entry) => entry.name).join(', ');
    throw new StorageError('ENGINE_GLUE_MISMATCH', `${wasmFile} needs imports the glue lacks: ${names}`);
  }
  const instance = new wasm.Instance(module, { [glueModule]: withUnrefTimers(glue) });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  started = true;
}

/**
 * The engine arms a 10 s timer around database calls and never clears it, which would hold a finished
 * `migrate:deploy` open for 10 s. Its timers are unref'd: they still fire while anything else keeps Node alive.
 */
function withUnrefTimers(imports: object): Record<string, unknown> {
  const patched: Record<string, unknown> = { ...imports };
  for (const name of Object.keys(patched).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
    patched[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
  }
  return patched;
}

/**
 * Runs `use` with a schema engine over `factory`, then frees the engine and disposes every connection it
 * opened: pools left open would keep the process alive.
 */
export async function withSchemaEngine<T>(
  schema: SchemaFile,
  factory: SqlMigrationAwareDriverAdapterFactory,
  use: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  startEngineModule();
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(opened, runScriptsWhole(await factory.connect())),
    connectToShadowDb: async () => track(opened, runScriptsWhole(await factory.connectToShadowDb())),
  };
  const engine = await engineCall(() =>
    glue.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      () => {},
      bindMigrationAwareSqlAdapterFactory(tracked),
    ),
  );
  try {
    return await engineCall(() => use(engine));
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

async function engineCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    if (cause instanceof StorageError) throw cause;
    throw new StorageError('ENGINE_FAILED', describeEngineError(cause), { cause });
  }
}

function describeEngineError(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === 'object' && cause !== null && 'message' in cause) return String(cause.message);
  return String(cause);
}

/** Makes `dispose` safe to call twice: both the engine and {@link withSchemaEngine} may release a connection. */
function track(opened: SqlDriverAdapter[], adapter: SqlDriverAdapter): SqlDriverAdapter {
  const dispose = adapter.dispose.bind(adapter);
  let released: Promise<void> | undefined;
  adapter.dispose = () => {
    released ??= dispose();
    return released;
  };
  opened.push(adapter);
  return adapter;
}

/**
 * Migration files run whole. On SQLite the engine sends a file as one argument-less statement, which
 * better-sqlite3 refuses ("more than one statement"), so such SQL goes through `executeScript`, which runs
 * statements in turn. The pg adapter's own `executeScript` splits on every `;`, even inside comments and function
 * bodies, so on PostgreSQL a script goes as one simple-protocol query, which the server splits itself.
 */
function runScriptsWhole(adapter: SqlDriverAdapter): SqlDriverAdapter {
  if (adapter.provider === 'postgres') {
    adapter.executeScript = async (script) => {
      await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
    };
    return adapter;
  }
  if (adapter.provider !== 'sqlite') return adapter;
  const executeRaw = adapter.executeRaw.bind(adapter);
  adapter.executeRaw = async (query) => {
    // better-sqlite3 refuses a file of comments only ("contains no statements"); such a migration changes nothing
    if (query.args.length === 0 && statementCount(query.sql) === 0) return 0;
    if (query.args.length > 0 || !hasSeveralStatements(query.sql)) return executeRaw(query);
    await adapter.executeScript(query.sql);
    return 0;
  };
  return adapter;
}

/** Whether SQL holds more than one statement, ignoring semicolons in quotes and comments and a final one. */
export function hasSeveralStatements(sql: string): boolean {
  return statementCount(sql) > 1;
}

/** How many statements SQL holds, ignoring semicolons in quotes and comments; comments alone count none. */
export function statementCount(sql: string): number {
  // one left-to-right pass, so a quote inside a comment and a comment marker inside a quote are both inert
  const code = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, (token) =>
    token.startsWith('-') || token.startsWith('/') ? '' : "''",
  );
  return code
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.length > 0).length;
}
