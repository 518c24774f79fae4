import { Router, type ErrorRequestHandler, type Request, type RequestHandler } from 'express';
import { PlinthError } from '@plinth/shared';
import { assertAdmin, identifyCaller } from '../auth.ts';
import type { Log, Services } from '../services/index.ts';
import { NO_BODY, readJsonBody } from './body.ts';
import type { PythonEnvironments } from '../python/environments.ts';
import { environmentRoutes } from './environmentRoutes.ts';
import { graphRoutes } from './graphRoutes.ts';
import { invokeRoutes } from './invokeRoutes.ts';
import { keyRoutes } from './keyRoutes.ts';
import { openapiRoutes } from './openapiRoutes.ts';
import type { RestDeps } from './restDeps.ts';
import { sendError } from './respond.ts';

export interface RestOptions {
  services: Services;
  adminToken: string;
  maxBodyBytes: number;
  log: Log;
  environments?: PythonEnvironments | undefined;
}

/** The REST API of DESIGN.md, to be mounted at `/api/v1`. */
export function createRestApi({ services, adminToken, maxBodyBytes, log, environments }: RestOptions): Router {
  const admin: RequestHandler = (req, _res, next) => {
    assertAdmin(identifyCaller(req.headers.authorization, adminToken));
    next();
  };
  async function body(req: Request, expected: string | null): Promise<unknown> {
    const value = await readJsonBody(req, maxBodyBytes);
    if (value === NO_BODY && expected !== null) {
      throw new PlinthError('invalid_json', `the request body is empty; send ${expected}`);
    }
    return value;
  }
  const deps: RestDeps = { services, admin, body, adminToken };

  const api = Router();
  api.use(invokeRoutes({ services, adminToken, maxBodyBytes, log }));
  api.use(openapiRoutes(deps));
  api.use(graphRoutes(deps));
  api.use(keyRoutes(deps));
  if (environments) api.use(environmentRoutes(environments, deps));
  api.use((req) => {
    throw new PlinthError(
      'not_found',
      `there is no endpoint ${req.method} ${req.originalUrl}; see the API table in DESIGN.md`,
    );
  });
  const onError: ErrorRequestHandler = (error, _req, res, _next) => sendError(res, error, log);
  api.use(onError);
  return api;
}
