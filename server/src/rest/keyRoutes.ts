import { Router, type Request } from 'express';
import { CreateKeyBodySchema, SecretBodySchema, SecretValueBodySchema } from '@plinth/shared';
import type { PlinthCore } from '../plinth.ts';
import { adminOnly, readBody } from './http.ts';
import { param, parseBody, sendJson } from './respond.ts';

/** API keys (shown once) and write-only secrets. */
export function keyRoutes(core: PlinthCore): Router {
  const { services } = core;
  const admin = adminOnly(core);
  const body = (req: Request, expected: string) => readBody(core, req, expected);
  const router = Router();

  router.post('/keys', admin, async (req, res) => {
    const payload = await body(req, '{"name": "...", "graphs": ["..."]}');
    const { name, graphs } = parseBody(
      CreateKeyBodySchema,
      payload,
      '{"name": "<label>", "graphs": ["<graph name>", ...]} (graphs is optional)',
    );
    sendJson(res, 201, await services.keys.create(name, graphs ?? null));
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
    const { name, value } = parseBody(SecretBodySchema, payload, '{"name": "<SECRET_NAME>", "value": "<text>"}');
    const saved = await services.secrets.set(name, value);
    sendJson(res, saved.created ? 201 : 200, { name: saved.name });
  });

  router.put('/secrets/:name', admin, async (req, res) => {
    const payload = await body(req, '{"value": "..."}');
    const { value } = parseBody(SecretValueBodySchema, payload, '{"value": "<text>"}');
    const saved = await services.secrets.set(param(req, 'name'), value);
    sendJson(res, saved.created ? 201 : 200, { name: saved.name });
  });

  router.delete('/secrets/:name', admin, async (req, res) => {
    await services.secrets.delete(param(req, 'name'));
    res.status(204).end();
  });

  return router;
}
