import { Router } from 'express';
import { RunQuerySchema } from '@plinth/shared';
import type { PlinthCore } from '../plinth.ts';
import { adminOnly } from './http.ts';
import { param, parseBody, sendJson } from './respond.ts';

/** Run history: `GET /runs?graph=&version=&status=&kind=&before=&limit=` and `GET /runs/{id}`. */
export function runRoutes(core: PlinthCore): Router {
  const admin = adminOnly(core);
  const router = Router();
  router.get('/runs', admin, async (req, res) => {
    const query = parseBody(RunQuerySchema, req.query, 'query parameters graph, version, status, kind, before, limit');
    sendJson(res, 200, await core.services.runs.list(query));
  });
  router.get('/runs/:id', admin, async (req, res) => {
    const run = await core.services.runs.get(param(req, 'id'));
    sendJson(res, 200, run, { 'Plinth-Run-Id': run.id });
  });
  return router;
}
