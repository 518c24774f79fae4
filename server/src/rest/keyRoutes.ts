import { Router } from 'express';
import { PlinthError } from '@plinth/shared';
import type { RestDeps } from './restDeps.ts';
import { param, sendJson } from './respond.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** API keys (shown once) and write-only secrets. */
export function keyRoutes({ services, body, admin }: RestDeps): Router {
  const router = Router();

  router.post('/keys', admin, async (req, res) => {
    const payload = await body(req, '{"name": "...", "graphs": ["..."]}');
    const graphs = isObject(payload) ? payload.graphs : undefined;
    if (!isObject(payload) || typeof payload.name !== 'string' || (graphs != null && !isStringArray(graphs))) {
      throw new PlinthError(
        'bad_request',
        'the body must be {"name": "<label>", "graphs": ["<graph name>", ...]} (graphs is optional)',
      );
    }
    sendJson(res, 201, await services.keys.create(payload.name, graphs ?? null));
  });

  router.get('/keys', admin, async (_req, res) => {
    sendJson(res, 200, await services.keys.list());
  });

  router.delete('/keys/:id', admin, async (req, res) => {
    await services.keys.delete(param(req, 'id'));
    res.status(204).end();
  });

  router.get('/secrets', admin, async (_req, res) => {
    sendJson(res, 200, await services.secrets.list());
  });

  router.post('/secrets', admin, async (req, res) => {
    const payload = await body(req, '{"name": "...", "value": "..."}');
    if (!isObject(payload) || typeof payload.name !== 'string' || typeof payload.value !== 'string') {
      throw new PlinthError('bad_request', 'the body must be {"name": "<SECRET_NAME>", "value": "<text>"}');
    }
    const saved = await services.secrets.set(payload.name, payload.value);
    sendJson(res, saved.created ? 201 : 200, { name: saved.name });
  });

  router.put('/secrets/:name', admin, async (req, res) => {
    const payload = await body(req, '{"value": "..."}');
    if (!isObject(payload) || typeof payload.value !== 'string') {
      throw new PlinthError('bad_request', 'the body must be {"value": "<text>"}');
    }
    const saved = await services.secrets.set(param(req, 'name'), payload.value);
    sendJson(res, saved.created ? 201 : 200, { name: saved.name });
  });

  router.delete('/secrets/:name', admin, async (req, res) => {
    await services.secrets.delete(param(req, 'name'));
    res.status(204).end();
  });

  return router;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
