import {
  BatchIssueRequest,
  Certificate,
  CertificateId,
  canSeeIssuer,
  IssuedCertificate,
  IssueRequest,
  type Principal,
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
  toCertificate,
  voidCertificate,
} from './certificate.service.ts';
import { type LabelRequest, renderLabel } from './label.ts';
import { labelFormats, labelSizes, printerFormats } from './label-size.ts';
import { sendToPrinter } from './printer-port.ts';
import { qrPng, qrSvg } from './qr.ts';

const CertParam = z.strictObject({ id: CertificateId });
const Copies = z.coerce.number().int().min(1).max(50).default(1);
const LabelQuery = z.strictObject({
  format: z.enum(labelFormats).default('pdf'),
  size: z.enum(labelSizes).default('60x40'),
  copies: Copies,
});
const PrintRequest = z.strictObject({
  host: z.union([z.ipv4(), z.ipv6(), z.hostname()]),
  port: z.number().int().min(1).max(65535).default(9100),
  format: z.enum(printerFormats).default('tspl'),
  size: z.enum(labelSizes).default('60x40'),
  copies: Copies,
});
const problem = (e: CertificateError) => new ApiProblem(e.code, e.message);

export const certificateRoutes: FastifyPluginAsyncZod = async (app) => {
  const repo = createCertificateRepository(app.prisma);
  const deps: CertificateDeps = {
    db: app.prisma,
    dialect: app.dialect,
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

  /** The label in the asked format, or the coded reason it cannot be printed at that size. */
  async function label(principal: Principal, id: string, request: LabelRequest) {
    const row = await visible(principal, id);
    const rendered = await renderLabel(toCertificate(row), request, {
      timeZone: app.config.timeZone,
      cjkFont: app.config.cjkFont,
    });
    if (!rendered.ok) throw new ApiProblem(rendered.code, rendered.message);
    return { ...rendered, filename: `certificate-${row.id}-${request.size}.${rendered.extension}` };
  }

  app.get(
    '/certificates/:id/label',
    {
      schema: {
        tags,
        summary:
          'The print label, 60×40 or 60×80 mm: PDF, HTML (@page-sized), or TSPL / ESC/POS bytes for a thermal printer',
        params: CertParam,
        querystring: LabelQuery,
        response: { 200: z.any(), ...errorResponses(400, 401, 403, 404, 422) },
      },
      preParsing: readers,
    },
    async (request, reply) => {
      const { format } = request.query;
      const out = await label(request.principal, request.params.id, request.query);
      if (format === 'html') {
        reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      }
      const disposition = format === 'pdf' || format === 'html' ? 'inline' : 'attachment';
      return reply
        .type(out.contentType)
        .header('content-disposition', `${disposition}; filename="${out.filename}"`)
        .send(out.body);
    },
  );

  app.get(
    '/certificates/:id/label.pdf',
    {
      schema: {
        tags,
        summary: 'The PDF label (the same as /label?format=pdf), kept for links already in use',
        params: CertParam,
        querystring: z.strictObject({ size: z.enum(labelSizes).default('60x40') }),
        response: { 200: z.any(), ...errorResponses(400, 401, 403, 404, 422) },
      },
      preParsing: readers,
    },
    async (request, reply) => {
      const out = await label(request.principal, request.params.id, {
        format: 'pdf',
        size: request.query.size,
        copies: 1,
      });
      return reply
        .type(out.contentType)
        .header('content-disposition', `inline; filename="${out.filename}"`)
        .send(out.body);
    },
  );

  app.post(
    '/certificates/:id/print',
    {
      schema: {
        tags,
        summary:
          "Print the label on a network label printer: TSPL or ESC/POS bytes to the printer's raw port",
        params: CertParam,
        body: PrintRequest,
        response: {
          200: z.object({ format: z.enum(printerFormats), copies: z.number(), bytes: z.number() }),
          ...errorResponses(400, 401, 403, 404, 422, 502),
        },
      },
      preParsing: readers,
    },
    async (request) => {
      const { host, port, format, size, copies } = request.body;
      if (!app.config.printerPorts.includes(port)) {
        throw new ApiProblem(
          'PRINTER_PORT_NOT_ALLOWED',
          `端口 ${port} 不是打印端口 (printer ports: ${app.config.printerPorts.join(', ')})`,
        );
      }
      const out = await label(request.principal, request.params.id, { format, size, copies });
      const sent = await sendToPrinter({ host, port }, out.body);
      if (!sent.ok) throw new ApiProblem(sent.code, sent.message);
      return { format, copies, bytes: sent.bytes };
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
      const { certificate, trustVersion, cascaded } = result.value;
      const at = certificate.voidedAt!.toISOString();
      // What was made from it is void too: agents learn it with the certificate, in batches, not one by one.
      app.events.emit('certificate.voided', {
        revoked: [{ certificateId: certificate.id, reason: request.body.reason, trustVersion }, ...cascaded],
        at,
      });
      return toCertificate(certificate);
    },
  );
};
