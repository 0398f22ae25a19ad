import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { isShellRoute } from '../console/console-shell.ts';
import { ApiProblem, type ErrorIssue } from './error-code.ts';

const fastifyCodes: Record<string, () => ApiProblem> = {
  FST_ERR_CTP_BODY_TOO_LARGE: () => new ApiProblem('BODY_TOO_LARGE', 'request body is too large'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () =>
    new ApiProblem('UNSUPPORTED_MEDIA_TYPE', 'send application/json (or the documented content type)'),
  FST_ERR_CTP_INVALID_JSON_BODY: () => new ApiProblem('MALFORMED_JSON', 'request body is not valid JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new ApiProblem('MALFORMED_JSON', 'request body is empty'),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () =>
    new ApiProblem('MALFORMED_JSON', 'content-length does not match the body'),
};

// Prisma error codes that mean "the database is not reachable right now" rather than "your input is wrong".
const unavailableCodes = new Set([
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'ECONNREFUSED',
  'SQLITE_BUSY',
]);

interface DatabaseError {
  name?: string;
  code?: unknown;
  message?: string;
  meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } };
}

/**
 * PostgreSQL's SQLSTATE, from its own driver or from Prisma's adapter. Class 22 is a data exception: the value
 * itself cannot be stored (a NUL in text is 22021), so sending it again can never succeed.
 */
function isDataException(err: DatabaseError): boolean {
  const sqlState = err.meta?.driverAdapterError?.cause?.originalCode ?? err.code;
  return typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState);
}

function fromDatabase(err: DatabaseError): ApiProblem | undefined {
  const code = typeof err.code === 'string' ? err.code : '';
  if (
    err.name === 'PrismaClientInitializationError' ||
    unavailableCodes.has(code) ||
    /ECONNREFUSED|Connection terminated|database is locked|Can't reach database/i.test(err.message ?? '')
  ) {
    return new ApiProblem('DATABASE_UNAVAILABLE', 'the database is unavailable; retry shortly');
  }
  if (isDataException(err)) return new ApiProblem('VALIDATION_FAILED', 'a value cannot be stored as sent');
  if (code === 'P2002') return new ApiProblem('ALREADY_EXISTS', 'a record with these unique fields exists');
  if (code === 'P2003') return new ApiProblem('INVALID_REFERENCE', 'a referenced record does not exist');
  if (code === 'P2025') return new ApiProblem('NOT_FOUND', 'record not found');
  return undefined;
}

function zodIssues(err: FastifyError): ErrorIssue[] {
  return (err.validation ?? []).map((v) => ({
    path: [err.validationContext, v.instancePath.replace(/^\//, '').replaceAll('/', '.')]
      .filter(Boolean)
      .join('.'),
    message: v.message ?? 'invalid',
  }));
}

/** Maps every failure to `{ error: { code, message, issues? } }`; bad input never becomes a 500. */
export function toProblem(err: unknown): ApiProblem {
  if (err instanceof ApiProblem) return err;
  const e = err as FastifyError;
  if (hasZodFastifySchemaValidationErrors(e)) {
    return new ApiProblem('VALIDATION_FAILED', 'request does not match the schema', zodIssues(e));
  }
  if (e?.code && fastifyCodes[e.code]) return fastifyCodes[e.code]!();
  if (e?.validation) return new ApiProblem('VALIDATION_FAILED', e.message, zodIssues(e));
  if (e?.statusCode === 429) return new ApiProblem('RATE_LIMITED', 'too many requests; slow down');
  const db = fromDatabase(e ?? {});
  if (db) return db;
  if (isResponseSerializationError(e)) return new ApiProblem('INTERNAL', 'response did not match its schema');
  if (e?.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
    return new ApiProblem('VALIDATION_FAILED', e.message);
  }
  return new ApiProblem('INTERNAL', 'internal error');
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const problem = toProblem(err);
    if (problem.status >= 500) request.log.error({ err }, problem.message);
    else request.log.info({ code: problem.code }, problem.message);
    return reply.code(problem.status).type('application/json').send(problem.toBody());
  });
  app.setNotFoundHandler((request, reply) => {
    const shell = app.hasDecorator('consoleShell') ? app.consoleShell : undefined;
    const browser = isShellRoute(request.method, request.url);
    if (browser && shell?.served) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    const problem = new ApiProblem(
      'ROUTE_NOT_FOUND',
      `no route ${request.method} ${request.url.split('?')[0]}${browser && shell && !shell.served ? ` (${shell.hint})` : ''}`,
    );
    return reply.code(404).send(problem.toBody());
  });
}
