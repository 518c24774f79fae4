import { Router, type Request } from 'express';
import type { Json } from '@plinth/shared';
import { identifyCaller, missingToken } from '../auth.ts';
import type { RestDeps } from './restDeps.ts';
import { parseVersion } from './graphRoutes.ts';
import { param, sendJson } from './respond.ts';

/**
 * The public face of a published graph, called with an API key (or the admin token).
 * This is the benchmarked path: no database, no logging, the body read once.
 */
export function invokeRoutes({ services, body, adminToken }: RestDeps): Router {
  const router = Router();

  async function authorize(req: Request): Promise<void> {
    const caller = identifyCaller(req.headers.authorization, adminToken);
    if (caller.kind === 'admin') return;
    if (caller.kind === 'anonymous') throw missingToken();
    await services.keys.authorize(caller.token, param(req, 'name'));
  }

  router.post('/graphs/:name/invoke', async (req, res) => {
    await authorize(req);
    const input = (await body(req, 'the input as JSON')) as Json;
    const result = await services.invoke.invoke(param(req, 'name'), input);
    sendJson(res, 200, result.output, { 'Plinth-Version': String(result.version) });
  });

  router.post('/graphs/:name/versions/:version/invoke', async (req, res) => {
    await authorize(req);
    const version = parseVersion(param(req, 'version'));
    const input = (await body(req, 'the input as JSON')) as Json;
    const result = await services.invoke.invoke(param(req, 'name'), input, version);
    sendJson(res, 200, result.output, { 'Plinth-Version': String(result.version) });
  });

  return router;
}
