import { Router, type Request, type Response } from 'express';
import { PlinthError, type Json } from '@plinth/shared';
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

  async function invoke(req: Request, res: Response, pinned: boolean): Promise<void> {
    const started = performance.now();
    const name = param(req, 'name');
    let status = 500;
    try {
      await authorize(req);
      const version = pinned ? parseVersion(param(req, 'version')) : undefined;
      const input = (await body(req, 'the input as JSON')) as Json;
      const result = await services.invoke.invoke(name, input, version);
      sendJson(res, 200, result.output, { 'Plinth-Version': String(result.version) });
      status = 200;
    } catch (error) {
      if (error instanceof PlinthError) status = error.status;
      throw error;
    } finally {
      services.metrics.recordInvoke(name, status, (performance.now() - started) / 1000);
    }
  }

  router.post('/graphs/:name/invoke', (req, res) => invoke(req, res, false));
  router.post('/graphs/:name/versions/:version/invoke', (req, res) => invoke(req, res, true));

  return router;
}
