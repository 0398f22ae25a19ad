import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The CLI would download a native schema engine at start; point it at a stub so generation works offline.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(import.meta.dirname, 'bin', 'schema-engine-stub');

export default defineConfig({ schema: process.env.LIANGZHENG_PRISMA_SCHEMA ?? 'schema.prisma' });
