import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';

/**
 * The IDE loads nothing from elsewhere: scripts, workers, Pyodide's WebAssembly, fonts and styles
 * all come from this origin (Monaco and React Flow set inline styles), and no inline script runs.
 * 'unsafe-eval' stays because Ajv compiles each graph's input JSON Schema into a function, in the
 * IDE as on the server (the same validator both sides); no string from a user reaches eval.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Every response's headers. Pyodide's interrupt buffer needs SharedArrayBuffer, which browsers only
 * give a cross-origin isolated page (the three Cross-Origin headers); the rest keep the IDE from being
 * framed, sniffed or scripted from elsewhere, and keep the `?token=` URL out of Referer headers.
 */
export const RESPONSE_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Content-Security-Policy', CONTENT_SECURITY_POLICY],
];

export const securityHeaders: RequestHandler = (_req, res, next) => {
  for (const [header, value] of RESPONSE_HEADERS) res.setHeader(header, value);
  next();
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Plinth: IDE not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto">
<h1>Plinth is running, but its IDE is not built</h1>
<p>Run <code>npm run build</code> in the Plinth checkout (or start with <code>npm start</code>, which builds it),
then reload this page. The REST API at <code>/api/v1</code> works meanwhile.</p>
<p>Looked for the build in <code>DIR</code> (setting: <code>PLINTH_CLIENT_DIR</code>).</p>
</body></html>
`;

const isApiPath = (p: string) => p.startsWith('/api/') || p === '/api' || p.startsWith('/trpc') || p === '/healthz';

/** Serves the Vite build with long-lived hashed assets and a fallback to index.html for client routes. */
export function staticIde(clientDir: string): Router {
  const router = Router();
  const index = path.join(clientDir, 'index.html');
  router.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) return next();
    if (!existsSync(index)) {
      res
        .status(req.path === '/' ? 200 : 404)
        .type('html')
        .send(NOT_BUILT.replace('DIR', clientDir));
      return;
    }
    next();
  });
  router.use(
    express.static(clientDir, {
      index: false,
      setHeaders(res, file) {
        const hashed = file.startsWith(path.join(clientDir, 'assets') + path.sep);
        res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    }),
  );
  router.use((req, res, next) => {
    // A missing file (it has an extension) is a 404, not the app shell.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path) || path.extname(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return router;
}
