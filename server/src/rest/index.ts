import { Router, type ErrorRequestHandler } from 'express';
import { PlinthError } from '@plinth/shared';
import type { PlinthCore } from '../plinth.ts';
import { environmentRoutes } from './environmentRoutes.ts';
import { graphRoutes } from './graphRoutes.ts';
import { invokeRoutes } from './invokeRoutes.ts';
import { keyRoutes } from './keyRoutes.ts';
import { modelRoutes } from './modelRoutes.ts';
import { openapiRoutes } from './openapiRoutes.ts';
import { runRoutes } from './runRoutes.ts';
import { sendError } from './respond.ts';

/** The REST API of DESIGN.md, to be mounted at `/api/v1`. */
export function createRestApi(core: PlinthCore): Router {
  const api = Router();
  api.use(invokeRoutes(core));
  api.use(openapiRoutes(core));
  api.use(graphRoutes(core));
  api.use(keyRoutes(core));
  api.use(modelRoutes(core));
  api.use(runRoutes(core));
  api.use(environmentRoutes(core));
  api.use((req) => {
    throw new PlinthError(
      'not_found',
      `there is no endpoint ${req.method} ${req.originalUrl}; see the API table in DESIGN.md`,
    );
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => sendError(res, error, core.log);
  api.use(onError);
  return api;
}
