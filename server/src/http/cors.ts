import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigError } from '../settings.ts';

/** The endpoints a page on another origin may call: invoking a graph and reading its OpenAPI. */
const CORS_PATH = /^\/api\/v1\/graphs\/[^/?#]+\/(?:invoke|versions\/[^/?#]+\/invoke|openapi\.json)\/?(?:\?.*)?$/;
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Plinth-Route-Key';
const EXPOSED_HEADERS = 'Plinth-Version, Plinth-Run-Id, Retry-After';

/** `PLINTH_CORS_ORIGINS`: a comma-separated list of origins such as `https://app.example.com`; none by default. */
export function parseCorsOrigins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((origin) => {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new ConfigError(`PLINTH_CORS_ORIGINS: "${origin}" is not an origin such as https://app.example.com`);
      }
      if (url.origin !== origin.replace(/\/$/, '') || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
        throw new ConfigError(
          `PLINTH_CORS_ORIGINS: "${origin}" must be just scheme://host[:port], such as https://app.example.com`,
        );
      }
      return url.origin;
    });
}

/**
 * Cross-origin access to the invoke and OpenAPI endpoints for the origins in the allow-list.
 * Answers a preflight itself (true: the request is done); otherwise adds the headers a browser
 * needs to hand the response to an allowed page, and lets the request go on (false).
 */
export function handleCors(allowed: readonly string[], req: IncomingMessage, res: ServerResponse): boolean {
  const origin = req.headers.origin;
  if (origin === undefined || !CORS_PATH.test(req.url ?? '')) return false;
  const ok = allowed.includes(origin);
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  res.setHeader('Vary', 'Origin');
  if (ok) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }
  if (!preflight) return false;
  if (!ok) {
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify({
        error: {
          code: 'forbidden',
          message: `the origin ${origin} may not call this endpoint from a browser; add it to PLINTH_CORS_ORIGINS`,
          setting: 'PLINTH_CORS_ORIGINS',
        },
      }),
    );
    return true;
  }
  res.writeHead(204, {
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  });
  res.end();
  return true;
}
