import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type RequestHandler } from 'express';

/**
 * Pyodide's interrupt buffer needs SharedArrayBuffer, which browsers only give a
 * cross-origin isolated page; so every response carries these three headers.
 */
export const ISOLATION_HEADERS: readonly (readonly [string, string])[] = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];

export const crossOriginIsolation: RequestHandler = (_req, res, next) => {
  for (const [header, value] of ISOLATION_HEADERS) res.setHeader(header, value);
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
