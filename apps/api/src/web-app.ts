import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApiFastifyAdapter } from './http-platform';

/** Paths the API itself answers; everything else that is a page GET belongs to the web app. */
const SERVER_PATHS = /^\/(api|socket\.io|dev|health|assets)(\/|\?|$)/;

/**
 * The web app's document allows only scripts from this origin: the Vite bundle has no inline script,
 * so the page gets a stricter policy than the swagger UI under /api/docs needs.
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' https://assets.nhs.uk data:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const YEAR_MS = 365 * 24 * 3600 * 1000;
const HOUR_MS = 3600 * 1000;

/** As Express's `req.accepts('html')`: no Accept header, or one that takes HTML (or anything). */
function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().split(';');
    if (!/^(text\/html|text\/\*|\*\/\*)$/i.test(type.trim())) return false;
    return !params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(p));
  });
}

/**
 * Serves the built web app (`npm run build:web`): hashed assets with a long cache life, the other
 * root files for an hour, and `index.html` for every other page GET so the client-side router can
 * take the URL (SPA fallback). The files are listed once at start-up (one route each), and the
 * fallback runs only for requests no route matched, so an API request never touches the disk.
 * Nothing is served when the build is absent, so the API runs alone in tests and development.
 */
export async function serveWebApp(
  app: NestFastifyApplication,
  adapter: ApiFastifyAdapter,
  webRoot: string,
): Promise<void> {
  const indexFile = join(webRoot, 'index.html');
  if (!existsSync(indexFile)) return;
  const indexHtml = readFileSync(indexFile, 'utf8');
  const assets = join(webRoot, 'assets');
  if (existsSync(assets)) {
    await app.register(fastifyStatic, {
      root: assets,
      prefix: '/assets/',
      wildcard: false,
      index: false,
      immutable: true,
      maxAge: YEAR_MS,
      dotfiles: 'ignore',
    });
  }
  await app.register(fastifyStatic, {
    root: webRoot,
    prefix: '/',
    wildcard: false,
    // The document itself goes out through the fallback below, with its own CSP.
    globIgnore: ['assets/**', 'index.html', '.*', '**/.*'],
    index: false,
    maxAge: HOUR_MS,
    dotfiles: 'ignore',
    decorateReply: !existsSync(assets),
  });
  adapter.useFallback((request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    if (SERVER_PATHS.test(request.url) || !acceptsHtml(request)) return false;
    void reply
      .code(200)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      .header('Content-Security-Policy', WEB_APP_CSP)
      .send(indexHtml);
    return true;
  });
}
