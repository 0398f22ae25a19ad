import { IdParam, type Principal, type Role } from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import type { Tx } from '../storage/db.ts';
import type { RegistryRepository } from './registry.repository.ts';

type App = Parameters<FastifyPluginAsyncZod>[0];
type ErrorStatus = 400 | 401 | 403 | 404 | 409;
type Identified = { id: number | string };

/** Who may call a route (admin always may) and the error statuses its schema declares. */
export interface RouteAccess {
  roles: readonly Role[];
  errors: readonly ErrorStatus[];
}

/**
 * One registry entity's routes. Each operation is optional; the hooks hold what differs between entities (the
 * scope rule, references to check, what a write touches besides the row) and throw an `ApiProblem` to refuse.
 */
export interface EntityRoutes<
  Row extends Identified,
  Query extends z.ZodType,
  Create extends z.ZodType,
  Update extends z.ZodType,
  Created,
  Updated,
> {
  /** the collection's path, e.g. `/gates`; one item is `/gates/:id` */
  path: `/${string}`;
  /** the audit log's entity name */
  entity: string;
  view: z.ZodType;
  /** the row as the view schema describes it, to this principal (some fields are shown masked to some) */
  toView(row: Row, principal: Principal): unknown;
  list?: RouteAccess & {
    querystring?: Query;
    /** the rows the principal may see */
    rows(principal: Principal, query: z.output<Query>): Promise<Row[]>;
  };
  read?: RouteAccess & {
    /** the row, or NOT_FOUND when it does not exist or is out of the principal's scope */
    row(principal: Principal, id: number): Promise<Row>;
  };
  create?: RouteAccess & {
    body: Create;
    /**
     * checks what only this entity needs (the rows a body names are checked for every registry route by
     * `checkReferences`); answers what to write (and record in the audit log)
     */
    accept(principal: Principal, body: z.output<Create>): Promise<Created>;
    run(tx: Tx, data: Created): Promise<Row>;
    /** the audit row's data, when it is not what is written */
    audit?(data: Created): unknown;
  };
  update?: RouteAccess & {
    body: Update;
    /** checks the row is the principal's to change; answers what to write */
    accept(principal: Principal, id: number, body: z.output<Update>): Promise<Updated>;
    run(tx: Tx, id: number, data: Updated): Promise<Row>;
    audit?(data: Updated): unknown;
  };
  deactivate?: RouteAccess & {
    /** checks the row is the principal's to deactivate */
    accept?(principal: Principal, id: number): Promise<void>;
    run(tx: Tx, id: number): Promise<Row>;
    /** what must follow a deactivation outside the transaction (caches to drop) */
    after?(row: Row): void;
  };
}

/**
 * Registers an entity's list, read, create, update and deactivate routes: `GET path`, `GET path/:id`,
 * `POST path`, `PATCH path/:id`, `POST path/:id/deactivate`. Every write runs in a transaction with its audit row.
 */
export function addEntityRoutes<
  Row extends Identified,
  Query extends z.ZodType = z.ZodUndefined,
  Create extends z.ZodType = z.ZodNever,
  Update extends z.ZodType = z.ZodNever,
  Created = never,
  Updated = never,
>(
  app: App,
  repo: RegistryRepository,
  spec: EntityRoutes<Row, Query, Create, Update, Created, Updated>,
): void {
  const tags = ['registry'];
  // Fastify has validated query and body with these very schemas; its inferred types stay unresolved for a
  // generic schema, hence the `as z.output<…>` below.
  const { path, entity, view, list, read, create, update, deactivate } = spec;
  const itemPath = `${path}/:id`;

  if (list) {
    app.get(
      path,
      {
        schema: {
          tags,
          ...(list.querystring ? { querystring: list.querystring } : {}),
          response: { 200: z.array(view), ...errorResponses(...list.errors) },
        },
        preParsing: app.requireRole(list.roles),
      },
      async (request) =>
        (await list.rows(request.principal, request.query as z.output<Query>)).map((row) =>
          spec.toView(row, request.principal),
        ),
    );
  }
  if (read) {
    app.get(
      itemPath,
      {
        schema: { tags, params: IdParam, response: { 200: view, ...errorResponses(...read.errors) } },
        preParsing: app.requireRole(read.roles),
      },
      async (request) => spec.toView(await read.row(request.principal, request.params.id), request.principal),
    );
  }
  if (create) {
    app.post(
      path,
      {
        schema: {
          tags,
          body: create.body,
          response: { 201: view, ...errorResponses(...create.errors) },
        },
        preParsing: app.requireRole(create.roles),
      },
      async (request, reply) => {
        const data = await create.accept(request.principal, request.body as z.output<Create>);
        const row = await repo.change({
          actor: actorOf(request.principal),
          action: 'create',
          entity,
          data: create.audit ? create.audit(data) : data,
          run: (tx) => create.run(tx, data),
          idOf: (row) => row.id,
        });
        return reply.code(201).send(spec.toView(row, request.principal));
      },
    );
  }
  if (update) {
    app.patch(
      itemPath,
      {
        schema: {
          tags,
          params: IdParam,
          body: update.body,
          response: { 200: view, ...errorResponses(...update.errors) },
        },
        preParsing: app.requireRole(update.roles),
      },
      async (request) => {
        const id = request.params.id;
        const data = await update.accept(request.principal, id, request.body as z.output<Update>);
        const row = await repo.change({
          actor: actorOf(request.principal),
          action: 'update',
          entity,
          data: update.audit ? update.audit(data) : data,
          run: (tx) => update.run(tx, id, data),
          idOf: (row) => row.id,
        });
        return spec.toView(row, request.principal);
      },
    );
  }
  if (deactivate) {
    app.post(
      `${itemPath}/deactivate`,
      {
        schema: { tags, params: IdParam, response: { 200: view, ...errorResponses(...deactivate.errors) } },
        preParsing: app.requireRole(deactivate.roles),
      },
      async (request) => {
        const id = request.params.id;
        await deactivate.accept?.(request.principal, id);
        const row = await repo.change({
          actor: actorOf(request.principal),
          action: 'deactivate',
          entity,
          run: (tx) => deactivate.run(tx, id),
          idOf: (row) => row.id,
        });
        deactivate.after?.(row);
        return spec.toView(row, request.principal);
      },
    );
  }
}
