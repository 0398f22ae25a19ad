import type { PrismaClient } from '@liangzheng/prisma';

/** The Prisma client the server runs on (SQLite or PostgreSQL; both share the generated model types). */
export type Db = PrismaClient;

/** The client handed to an interactive transaction's callback. */
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export type Dialect = 'sqlite' | 'postgresql';

export const dialectOf = (url: string): Dialect => (/^postgres(ql)?:/.test(url) ? 'postgresql' : 'sqlite');
