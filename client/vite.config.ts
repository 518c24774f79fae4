import { createReadStream, readFileSync, statSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

// Pyodide is served from the app's own origin under /pyodide/ (never a CDN): copied
// into the build, and answered straight from node_modules by `vite dev`/`vite preview`.
const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'];
const PYODIDE_DIR = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
const PYODIDE_TYPES: Record<string, string> = {
  mjs: 'text/javascript',
  wasm: 'application/wasm',
  zip: 'application/zip',
  json: 'application/json',
};

function servePyodide(): Plugin {
  const middleware = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const name = /^\/pyodide\/([\w.-]+)$/.exec(req.url?.split('?')[0] ?? '')?.[1];
    if (!name || !PYODIDE_FILES.includes(name)) return next();
    res.setHeader('Content-Type', PYODIDE_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Content-Length', statSync(join(PYODIDE_DIR, name)).size); // lets the worker show a percentage
    createReadStream(join(PYODIDE_DIR, name)).pipe(res);
  };
  return {
    name: 'plinth:pyodide',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
    generateBundle() {
      for (const name of PYODIDE_FILES) {
        this.emitFile({ type: 'asset', fileName: `pyodide/${name}`, source: readFileSync(join(PYODIDE_DIR, name)) });
      }
    },
  };
}

// What the editor may draw its first canvas with: the entry and the editor's own chunk,
// with everything they import statically. The validator's zod and Ajv load after that
// (client/src/api/loadShared.ts); importing a value from `@plinth/shared` instead of
// `@plinth/shared/graph` on the way there would pull them in, and the build says so.
const FIRST_SCREEN_ENTRIES = [/\/index\.html$/, /\/src\/ide\/GraphEditor\.tsx$/];
const LAZY_PACKAGES = /\/node_modules\/(zod|ajv)\//;

function keepValidatorLazy(): Plugin {
  return {
    name: 'plinth:keep-validator-lazy',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? [[item.fileName, item] as const] : [])),
      );
      const pending = [...chunks.values()]
        .filter((c) => FIRST_SCREEN_ENTRIES.some((entry) => entry.test(c.facadeModuleId ?? '')))
        .map((c) => [c.fileName]);
      const seen = new Set<string>();
      for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
        const name = path[path.length - 1] ?? '';
        const chunk = chunks.get(name);
        if (chunk === undefined || seen.has(name)) continue;
        seen.add(name);
        const heavy = chunk.moduleIds.find((id) => LAZY_PACKAGES.test(id));
        if (heavy !== undefined) {
          this.error(
            `${path.join(' → ')} loads before the first canvas paint but contains ${heavy}: ` +
              "import values from '@plinth/shared/graph' on that path, and the rest through loadShared()",
          );
        }
        pending.push(...chunk.imports.map((next) => [...path, next]));
      }
    },
  };
}

// Every file worth compressing is written beside itself as .br and .gz, for the server to send
// by Accept-Encoding (server/src/staticIde.ts): no compression on the request path.
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|wasm|ttf|txt)$/;
// Brotli's best quality takes seconds a megabyte; big files (Monaco, Pyodide's wasm) get a faster one.
const BEST_QUALITY_UP_TO_BYTES = 512 * 1024;

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : Promise.resolve([join(dir, e.name)]))),
  );
  return nested.flat();
}

function precompress(): Plugin {
  let outDir = 'dist';
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  return {
    name: 'plinth:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const files = (await listFiles(outDir)).filter((f) => COMPRESSIBLE.test(f));
      await Promise.all(
        files.map(async (file) => {
          const source = await readFile(file);
          const quality = source.length <= BEST_QUALITY_UP_TO_BYTES ? 11 : 5;
          const [brotli, gzipped] = await Promise.all([
            br(source, {
              params: {
                [zlibConstants.BROTLI_PARAM_QUALITY]: quality,
                [zlibConstants.BROTLI_PARAM_SIZE_HINT]: source.length,
              },
            }),
            gz(source, { level: 9 }),
          ]);
          // Not worth a second copy (and a decode) when it hardly shrinks.
          if (gzipped.length < source.length * 0.9) {
            await writeFile(`${file}.br`, brotli);
            await writeFile(`${file}.gz`, gzipped);
          }
        }),
      );
    },
  };
}

// Pyodide's interrupt buffer needs SharedArrayBuffer, which needs cross-origin isolation.
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const API_SERVER = process.env.PLINTH_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  plugins: [react(), servePyodide(), keepValidatorLazy(), precompress()],
  worker: { format: 'es' },
  server: {
    headers: ISOLATION_HEADERS,
    // ws: the code editor's language server (/api/v1/lsp) is a WebSocket.
    proxy: { '/api': { target: API_SERVER, ws: true }, '/trpc': API_SERVER, '/healthz': API_SERVER },
  },
  preview: { headers: ISOLATION_HEADERS },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
});
