import { Router } from 'express';
import type { PlinthCore } from '../plinth.ts';
import { buildOpenApi } from '../services/openapi.ts';
import { authorizeInvoke } from './http.ts';
import { param, sendJson } from './respond.ts';

/** `GET /graphs/{name}/openapi.json`: for whoever may invoke the graph. */
export function openapiRoutes(core: PlinthCore): Router {
  const { services } = core;
  const router = Router();
  router.get('/graphs/:name/openapi.json', async (req, res) => {
    const name = param(req, 'name');
    await authorizeInvoke(core, req.headers.authorization, name);
    const draft = await services.graphs.get(name);
    const live = draft.liveVersion === null ? null : await services.versions.get(name, draft.liveVersion);
    const baseUrl = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    sendJson(res, 200, buildOpenApi(live?.document ?? draft.document, draft.liveVersion, baseUrl));
  });
  return router;
}
