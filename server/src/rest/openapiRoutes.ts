import { Router } from 'express';
import { identifyCaller, missingToken } from '../auth.ts';
import { buildOpenApi } from '../services/openapi.ts';
import type { RestDeps } from './restDeps.ts';
import { param, sendJson } from './respond.ts';

/** `GET /graphs/{name}/openapi.json`: for whoever may invoke the graph. */
export function openapiRoutes({ services, adminToken }: RestDeps): Router {
  const router = Router();
  router.get('/graphs/:name/openapi.json', async (req, res) => {
    const name = param(req, 'name');
    const caller = identifyCaller(req.headers.authorization, adminToken);
    if (caller.kind === 'anonymous') throw missingToken();
    if (caller.kind === 'bearer') await services.keys.authorize(caller.token, name);
    const draft = await services.graphs.get(name);
    const live = draft.liveVersion === null ? null : await services.versions.get(name, draft.liveVersion);
    const baseUrl = `${req.protocol}://${req.headers.host ?? 'localhost'}`;
    sendJson(res, 200, buildOpenApi(live?.document ?? draft.document, draft.liveVersion, baseUrl));
  });
  return router;
}
