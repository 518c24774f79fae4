import { Router, type RequestHandler } from 'express';
import { EnvironmentBodySchema, PlinthError } from '@plinth/shared';
import { describeEnvironment, wheelPath } from '../python/environmentWheels.ts';
import type { PlinthCore } from '../plinth.ts';
import { adminOnly, readBody } from './http.ts';
import { param, parseBody, sendJson } from './respond.ts';

/**
 * The virtualenvs of requirements lists: what a list resolves to (building its venv when
 * needed, as publishing would), and the wheels pip fetched for it. The IDE's browser preview
 * loads the pure-Python ones from here, so it never reaches a package index itself.
 */
export function environmentRoutes(core: PlinthCore): Router {
  const { environments } = core;
  const admin = adminOnly(core);
  const router = Router();

  router.post('/environments', admin, async (req, res) => {
    const payload = await readBody(core, req, '{"requirements": ["..."]}');
    const { requirements } = parseBody(EnvironmentBodySchema, payload, '{"requirements": ["<pip requirement>", ...]}');
    const environment = await environments.ensure(requirements);
    if (!environment) {
      sendJson(res, 200, { key: null, requirements: [], installed: [], wheels: [] });
      return;
    }
    sendJson(res, 200, describeEnvironment(environment));
  });

  const sendWheel: RequestHandler = (req, res, next) => {
    const key = param(req, 'key');
    const file = param(req, 'file');
    const environment = environments.find(key);
    const found = environment && wheelPath(environment, file);
    if (!found) {
      throw new PlinthError(
        'not_found',
        `there is no wheel ${file} in environment ${key}; POST /api/v1/environments lists the wheels of a requirements list`,
      );
    }
    res.sendFile(found, { headers: { 'Content-Type': 'application/octet-stream' }, dotfiles: 'deny' }, (error) => {
      if (error) next(error);
    });
  };
  router.get('/environments/:key/wheels/:file', admin, sendWheel);
  return router;
}
