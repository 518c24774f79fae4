import { fileURLToPath } from 'node:url';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type Express } from 'express';
import { PlinthError } from '@plinth/shared';
import { assertAdmin, identifyCaller } from '../auth.ts';
import { createContext } from '../context.ts';
import type { PlinthCore } from '../plinth.ts';
import { createRestApi } from '../rest/index.ts';
import { sendError, sendJson } from '../rest/respond.ts';
import { appRouter } from '../routers/_app.ts';
import { securityHeaders, staticIde } from '../staticIde.ts';
import { trpcBody } from './trpcBody.ts';

const PYTHON_CLIENT = fileURLToPath(new URL('../../../sandbox-images/python-client/plinth.py', import.meta.url));

/** The whole HTTP surface but the invoke fast path: health, metrics, REST, tRPC and the IDE. */
export function createApp(core: PlinthCore): Express {
  const { config, services, log } = core;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);

  app.get('/healthz', (_req, res) => sendJson(res, 200, { status: 'ok' }));
  // The Python client, so a notebook can fetch it from the server it deploys to.
  app.get('/client/plinth.py', (_req, res) => {
    res.type('text/x-python').sendFile(PYTHON_CLIENT);
  });
  app.get('/metrics', async (req, res) => {
    assertAdmin(identifyCaller(req.headers.authorization, config.adminToken));
    res.type(services.metrics.contentType).send(await services.metrics.render());
  });
  app.use('/api/v1', createRestApi(core));
  app.use('/trpc', trpcBody(core));
  app.use(
    '/trpc',
    createExpressMiddleware({
      router: appRouter,
      createContext: (opts) => createContext(core, opts),
      maxBodySize: config.maxBodyBytes,
      onError({ error, path }) {
        if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof PlinthError)) {
          log(`tRPC ${path ?? '?'} failed: ${error.cause?.stack ?? error.stack ?? error.message}`);
        }
      },
    }),
  );
  app.use(staticIde(config.clientDir));
  app.use((req, res) => {
    sendError(res, new PlinthError('not_found', `there is nothing at ${req.method} ${req.path}`), log);
  });
  app.use(((error, _req, res, _next) => sendError(res, error, log)) as express.ErrorRequestHandler);
  return app;
}
