import { createHash } from 'node:crypto';
import { etagMatches } from '@cophub/forum';

/**
 * The little of a reply object that Express and Fastify share, so conditional responses work on
 * either platform.
 */
export interface ReplyLike {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
  send(body?: unknown): unknown;
}

/**
 * Sends a page with its ETag, or an empty 304 when the client's copy is current. `no-cache` lets a
 * browser keep the page but makes it ask again each time (the answer is then usually a 304).
 */
export function sendConditional(reply: ReplyLike, result: { etag: string; page: unknown }): void {
  reply.header('ETag', result.etag);
  reply.header('Cache-Control', 'private, no-cache');
  if (result.page === null) {
    reply.status(304);
    reply.send();
    return;
  }
  reply.status(200);
  reply.send(result.page);
}

/** As `sendConditional`, for a page already serialised (its bytes go out as they are). */
export function sendConditionalJson(reply: ReplyLike, result: { etag: string; json: Buffer | null }): void {
  if (result.json === null) return sendConditional(reply, { etag: result.etag, page: null });
  reply.header('ETag', result.etag);
  reply.header('Cache-Control', 'private, no-cache');
  reply.header('Content-Type', 'application/json; charset=utf-8');
  reply.status(200);
  reply.send(result.json);
}

/**
 * For answers without a version of their own (a thread's details, the category list, each already
 * per reader): the ETag is a hash of the bytes this reader would get, so a 304 is given exactly when
 * those bytes are unchanged.
 */
export function sendHashedConditional(reply: ReplyLike, view: unknown, ifNoneMatch: string | undefined): void {
  const json = Buffer.from(JSON.stringify(view), 'utf8');
  const etag = `W/"${createHash('sha1').update(json).digest('base64url')}"`;
  sendConditionalJson(reply, { etag, json: etagMatches(ifNoneMatch, etag) ? null : json });
}
