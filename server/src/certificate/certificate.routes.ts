import {
  BatchIssueRequest,
  Certificate,
  CertificateId,
  canSeeIssuer,
  IssuedCertificate,
  IssueRequest,
  type Principal,
  RepackRequest,
  VoidRequest,
} from '@liangzheng/domain';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ApiProblem, errorResponses } from '../http/error-code.ts';
import { actorOf } from '../identity/identity.ts';
import { createCertificateRepository } from './certificate.repository.ts';
import {
  type CertificateDeps,
  type CertificateError,
  type CertificateRow,
  issueCertificates,
  issueRepack,
  toCertificate,
  voidCertificate,
} from './certificate.service.ts';
import { labelSizes, renderLabel } from './label.ts';
import { qrPng, qrSvg } from './qr.ts';

const CertParam = z.strictObject({ id: CertificateId });
const problem = (e: CertificateError) => new ApiProblem(e.code, e.message);

export const certificateRoutes: FastifyPluginAsyncZod = async (app) => {
  const repo = createCertificateRepository(app.prisma);
  const deps: CertificateDeps = {
    db: app.prisma,
    keyring: app.keyring,
    audit: app.audit,
    clock: app.clock,
    codeHost: app.config.codeHost,
  };
  const tags = ['certificate'];
  const issuers = app.requireRole(['producer', 'vendor']);
  const readers = app.requireRole(['producer', 'vendor', 'regulator']);

  /** The issuer a producer or vendor signs as; admins may sign for anyone. */
  async function ownIssuerId(principal: Principal): Promise<number | null | 'any'> {
    if (principal.kind !== 'user') return null;
    if (principal.scope.kind === 'all') return 'any';
    if (principal.scope.kind === 'issuer') return principal.scope.issuerId;
    if (principal.scope.kind === 'stall') return repo.vendorIssuerId(principal.scope.stallId);
    return null;
  }

  async function mayIssueFor(principal: Principal, issuerId: number): Promise<void> {
    const own = await ownIssuerId(principal);
    if (own !== 'any' && own !== issuerId)
      throw new ApiProblem('FORBIDDEN', 'you may issue only in your own name');
  }

  async function visible(principal: Principal, id: string) {
    const row = await repo.find(id);
    const own = row && (await ownIssuerId(principal));
    if (!row || !(own === 'any' || own === row.issuerId || canSeeIssuer(principal, row.issuer))) {
      throw new ApiProblem('NOT_FOUND', 'certificate not found');
    }
    return row;
  }

  const issued = async (row: CertificateRow) => ({
    certificate: toCertificate(row),
    qr: {
      svg: await qrSvg(row.code),
      pngDataUrl: `data:image/png;base64,${(await qrPng(row.code)).toString('base64')}`,
    },
  });

  app.post(
    '/certificates',
    {
      schema: {
        tags,
        summary: 'Issue a producer certificate (2026 template); returns the signed code and its QR',
        body: IssueRequest,
        response: { 201: IssuedCertificate, ...errorResponses(400, 401, 403, 404, 409) },
      },
      preParsing: issuers,
    },
    async (request, reply) => {
      const { issuerId, ...fields } = request.body;
      await mayIssueFor(request.principal, issuerId);
      const result = await issueCertificates(deps, actorOf(request.principal), issuerId, [fields]);
      if (!result.ok) throw problem(result.error);
      for (const row of result.value)
        app.events.emit('certificate.issued', { certificateId: row.id, issuerId, kind: 'producer' });
      return reply.code(201).send(await issued(result.value[0]!));
    },
  );

  app.post(
    '/certificates/batch',
    {
      schema: {
        tags,
        summary: "Issue a cooperative's day of certificates at once: all or none",
        body: BatchIssueRequest,
        response: {
          // SVG only: a PNG per certificate would make a 100-lot day take seconds; labels carry their own QR.
          201: z.object({ certificates: z.array(z.object({ certificate: Certificate, qrSvg: z.string() })) }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
      preParsing: issuers,
    },
    async (request, reply) => {
      await mayIssueFor(request.principal, request.body.issuerId);
      const result = await issueCertificates(
        deps,
        actorOf(request.principal),
        request.body.issuerId,
        request.body.items,
      );
      if (!result.ok) throw problem(result.error);
      const certificates = [];
      for (const row of result.value)
        certificates.push({ certificate: toCertificate(row), qrSvg: await qrSvg(row.code) });
      return reply.code(201).send({ certificates });
    },
  );

  app.post(
    '/certificates/repack',
    {
      schema: {
        tags,
        summary: 'Issue a repack certificate (样式二) over parent certificates, charging their ledgers',
        body: RepackRequest,
        response: { 201: IssuedCertificate, ...errorResponses(400, 401, 403, 404, 409) },
      },
      preParsing: issuers,
    },
    async (request, reply) => {
      await mayIssueFor(request.principal, request.body.issuerId);
      const result = await issueRepack(deps, actorOf(request.principal), request.body);
      if (!result.ok) throw problem(result.error);
      app.events.emit('certificate.issued', {
        certificateId: result.value.id,
        issuerId: result.value.issuerId,
        kind: 'repack',
      });
      return reply.code(201).send(await issued(result.value));
    },
  );

  app.get(
    '/certificates',
    {
      schema: {
        tags,
        querystring: z.strictObject({
          status: z.enum(['valid', 'void']).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.iso.datetime().optional(),
        }),
        response: { 200: z.array(Certificate), ...errorResponses(400, 401, 403) },
      },
      preParsing: readers,
    },
    async (request) => {
      const p = request.principal;
      const own = await ownIssuerId(p);
      const scope =
        own === 'any'
          ? {}
          : p.kind === 'user' && p.scope.kind === 'region'
            ? { regionPrefix: p.scope.prefix }
            : { issuerIds: own === null ? [] : [own] };
      const rows = await repo.list({
        ...scope,
        status: request.query.status,
        limit: request.query.limit,
        before: request.query.before ? new Date(request.query.before) : undefined,
      });
      return rows.map(toCertificate);
    },
  );

  app.get(
    '/certificates/:id',
    {
      schema: { tags, params: CertParam, response: { 200: Certificate, ...errorResponses(401, 403, 404) } },
      preParsing: readers,
    },
    async (request) => toCertificate(await visible(request.principal, request.params.id)),
  );

  app.get(
    '/certificates/:id/qr.svg',
    {
      schema: { tags, params: CertParam, response: { 200: z.string(), ...errorResponses(401, 403, 404) } },
      preParsing: readers,
    },
    async (request, reply) => {
      const row = await visible(request.principal, request.params.id);
      return reply.type('image/svg+xml').send(await qrSvg(row.code));
    },
  );

  app.get(
    '/certificates/:id/label.pdf',
    {
      schema: {
        tags,
        summary: 'A print label, 60×40 mm or 60×80 mm, with 承诺达标合格证 prominent',
        params: CertParam,
        querystring: z.strictObject({ size: z.enum(labelSizes).default('60x40') }),
        response: { 200: z.any(), ...errorResponses(400, 401, 403, 404, 503) },
      },
      preParsing: readers,
    },
    async (request, reply) => {
      const row = await visible(request.principal, request.params.id);
      const label = await renderLabel(toCertificate(row), request.query.size);
      if (!label.ok) throw new ApiProblem('INTERNAL', label.message);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="certificate-${row.id}-${request.query.size}.pdf"`)
        .send(label.pdf);
    },
  );

  app.post(
    '/certificates/:id/void',
    {
      schema: {
        tags,
        summary: 'Void a certificate; the revocation reaches agents with the next snapshot and live',
        params: CertParam,
        body: VoidRequest,
        response: { 200: Certificate, ...errorResponses(400, 401, 403, 404, 409) },
      },
      preParsing: readers,
    },
    async (request) => {
      const p = request.principal;
      const row = await visible(p, request.params.id);
      const own = await ownIssuerId(p);
      // Issuers void their own; regulators may void within their region.
      if (!(own === 'any' || own === row.issuerId || (p.kind === 'user' && p.role === 'regulator'))) {
        throw new ApiProblem('FORBIDDEN', 'you may not void this certificate');
      }
      const result = await voidCertificate(deps, actorOf(p), row.id, request.body.reason);
      if (!result.ok) throw problem(result.error);
      const { certificate, trustVersion } = result.value;
      app.events.emit('certificate.voided', {
        certificateId: certificate.id,
        reason: request.body.reason,
        at: certificate.voidedAt!.toISOString(),
        trustVersion,
      });
      return toCertificate(certificate);
    },
  );
};
