import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';

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

// What the build precompressed beside each file (client/vite.config.ts), best first.
const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|wasm|ttf|txt)$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

const isFile = (file: string) =>
  stat(file).then(
    (s) => s.isFile(),
    () => false,
  );

/**
 * Sends `file` as the .br or .gz copy the build made of it when the browser accepts that
 * encoding (with `Vary: Accept-Encoding`, so caches keep them apart); false when there is none.
 */
async function sendPrecompressed(req: Request, res: Response, file: string, cacheControl: string): Promise<boolean> {
  if (!COMPRESSIBLE.test(file)) return false;
  res.vary('Accept-Encoding');
  // Brotli when accepted at all (browsers list gzip first with the same weight), else gzip.
  const choice = PRECOMPRESSED.find((p) => req.acceptsEncodings(p.encoding) === p.encoding);
  if (choice === undefined || !(await isFile(file + choice.suffix))) return false;
  res.setHeader('Content-Encoding', choice.encoding);
  res.type(path.extname(file));
  res.setHeader('Cache-Control', cacheControl);
  await new Promise<void>((resolve, reject) =>
    res.sendFile(file + choice.suffix, { cacheControl: false, dotfiles: 'deny' }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
  return true;
}

/**
 * Serves the Vite build: precompressed (brotli or gzip by Accept-Encoding), hashed assets cached
 * for a year as immutable, everything else revalidated, and index.html for client routes.
 */
export function staticIde(clientDir: string): Router {
  const router = Router();
  const root = path.resolve(clientDir);
  const index = path.join(root, 'index.html');
  const assets = path.join(root, 'assets') + path.sep;
  const cacheControlOf = (file: string) => (file.startsWith(assets) ? IMMUTABLE : 'no-cache');
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
  router.use(async (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    let file: string;
    try {
      file = path.join(root, decodeURIComponent(req.path));
    } catch {
      return next();
    }
    if (!file.startsWith(root + path.sep) || !(await isFile(file))) return next();
    try {
      if (!(await sendPrecompressed(req, res, file, cacheControlOf(file)))) next();
    } catch (error) {
      next(error);
    }
  });
  router.use(
    express.static(root, {
      index: false,
      setHeaders(res, file) {
        res.setHeader('Cache-Control', cacheControlOf(file));
      },
    }),
  );
  router.use(async (req, res, next) => {
    // A missing file (it has an extension) is a 404, not the app shell.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path) || path.extname(req.path)) return next();
    try {
      if (await sendPrecompressed(req, res, index, 'no-cache')) return;
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(index);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
