import { photoMediaTypes, readImageHeader } from '@liangzheng/domain';
import type { FastifyReply } from 'fastify';

/**
 * Answers with a stored photo, never cached and never a page: served as the image its bytes say it is (JPEG, PNG or
 * WebP); bytes that are none of those go out as a download, never rendered.
 */
export function sendPhoto(reply: FastifyReply, stored: Uint8Array, downloadName: string): FastifyReply {
  const bytes = Buffer.from(stored);
  const image = readImageHeader(bytes);
  reply
    .header('cache-control', 'private, no-store')
    .header('content-security-policy', "default-src 'none'")
    .header('x-content-type-options', 'nosniff');
  if (!image.ok)
    return reply
      .type('application/octet-stream')
      .header('content-disposition', `attachment; filename="${downloadName}"`)
      .send(bytes);
  return reply.type(photoMediaTypes[image.image.type]).send(bytes);
}
