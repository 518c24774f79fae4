import { createServer as createHttpServer, type Server } from 'node:http';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type Express } from 'express';
import { PlinthError } from '@plinth/shared';
import { assertAdmin, identifyCaller } from './auth.ts';
import { createContext, type AppDeps } from './context.ts';
import type { PythonEnvironments } from './python/environments.ts';
import { createRestApi } from './rest/index.ts';
import { handleInvoke, matchInvoke } from './rest/invoke.ts';
import { sendError, sendJson } from './rest/respond.ts';
import { appRouter } from './routers/_app.ts';
import type { Log } from './services/index.ts';
import { crossOriginIsolation, staticIde } from './staticIde.ts';

export interface AppOptions extends AppDeps {
  maxBodyBytes: number;
  clientDir: string;
  log: Log;
  /** Virtualenvs of nodes' requirements; without them `/api/v1/environments` is not served. */
  environments?: PythonEnvironments;
}

/** The whole HTTP surface: health, REST, tRPC and the IDE. Tests build one on a random port. */
export function createApp(options: AppOptions): Express {
  const { services, adminToken, maxBodyBytes, clientDir, log } = options;
  const deps: AppDeps = {
    db: options.db,
    runtime: options.runtime,
    services,
    adminToken,
    publicUrl: options.publicUrl,
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(crossOriginIsolation);

  app.get('/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  app.get('/metrics', (req, res) => {
    assertAdmin(identifyCaller(req.headers.authorization, adminToken));
    res.type('text/plain; version=0.0.4').send(services.metrics.render(options.runtime));
  });
  app.use('/api/v1', createRestApi({ services, adminToken, maxBodyBytes, log, environments: options.environments }));
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: (opts) => createContext(deps, opts),
      maxBodySize: maxBodyBytes,
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof PlinthError)) {
          log(`tRPC ${path ?? '?'} failed: ${error.cause?.stack ?? error.stack ?? error.message}`);
        }
      },
    }),
  );
  app.use(staticIde(clientDir));
  app.use((req, res) => {
    sendError(res, new PlinthError('not_found', `there is nothing at ${req.method} ${req.path}`), log);
  });
  app.use(((error, _req, res, _next) => sendError(res, error, log)) as express.ErrorRequestHandler);
  return app;
}

/**
 * The HTTP server: invoke requests go straight to `handleInvoke` (Express's router costs more
 * CPU per request than the rest of an invoke on the Node side); everything else to the app.
 */
export function createServer(options: AppOptions): Server {
  const app = createApp(options);
  return createHttpServer((req, res) => {
    const target = matchInvoke(req.method, req.url);
    if (target) void handleInvoke(options, req, res, target);
    else app(req, res);
  });
}
