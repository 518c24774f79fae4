import { Router, type Request } from 'express';
import { PlinthError, type Json } from '@plinth/shared';
import type { PlinthCore } from '../plinth.ts';
import { buildModelOpenApi } from '../services/models/modelOpenapi.ts';
import { NO_BODY } from './body.ts';
import { adminOnly, authorizeInvoke, readBody } from './http.ts';
import { parseVersion } from './invoke.ts';
import { closedSignal, param, sendJson } from './respond.ts';

const GZIP_TYPES = ['application/gzip', 'application/x-gzip', 'application/x-tar+gzip', 'application/octet-stream'];

/** `?promote=false` → false; absent → undefined; anything else is a 400 naming the parameter. */
function promoteParam(req: Request): boolean | undefined {
  const raw = req.query.promote;
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new PlinthError('bad_request', `the query parameter promote must be true or false, got ${JSON.stringify(raw)}`);
}

/** Models: upload a package, read versions and logs, promote, predict, OpenAPI. */
export function modelRoutes(core: PlinthCore): Router {
  const service = core.models.service;
  const admin = adminOnly(core);
  const router = Router();

  router.post('/models', admin, async (req, res) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!GZIP_TYPES.includes(type)) {
      throw new PlinthError(
        'bad_request',
        `send the model package as a .tar.gz with Content-Type: application/gzip (got ${JSON.stringify(type || 'none')}); ` +
          'e.g. tar czf model.tgz -C my-model . && curl --data-binary @model.tgz -H "Content-Type: application/gzip" ...',
      );
    }
    const name = typeof req.query.name === 'string' ? req.query.name : undefined;
    const promote = promoteParam(req);
    const created = await service.upload(req, {
      ...(name !== undefined ? { name } : {}),
      ...(promote !== undefined ? { promote } : {}),
    });
    sendJson(res, 201, created, { Location: `/api/v1/models/${created.name}/versions/${created.version}` });
  });

  router.get('/models', admin, async (_req, res) => sendJson(res, 200, await service.list()));
  router.get('/models/:name', admin, async (req, res) => sendJson(res, 200, await service.get(param(req, 'name'))));
  router.get('/models/:name/versions/:version', admin, async (req, res) => {
    sendJson(res, 200, await service.getVersion(param(req, 'name'), parseVersion(param(req, 'version'))));
  });
  router.post('/models/:name/versions/:version/promote', admin, async (req, res) => {
    sendJson(res, 200, await service.promote(param(req, 'name'), parseVersion(param(req, 'version'))));
  });

  const predict = (pinned: boolean) => async (req: Request, res: import('express').Response) => {
    const name = param(req, 'name');
    await authorizeInvoke(core, req.headers.authorization, name);
    const version = pinned ? parseVersion(param(req, 'version')) : undefined;
    const input = await readBody(core, req, 'the model input as JSON');
    if (input === NO_BODY)
      throw new PlinthError('invalid_json', 'the request body is empty; send the model input as JSON');
    const result = await service.predict(name, input as Json, {
      ...(version !== undefined ? { version } : {}),
      signal: closedSignal(res),
    });
    sendJson(res, 200, result.output, { 'Plinth-Model-Version': String(result.version) });
  };
  router.post('/models/:name/predict', predict(false));
  router.post('/models/:name/versions/:version/predict', predict(true));

  const openapi = (pinned: boolean) => async (req: Request, res: import('express').Response) => {
    const name = param(req, 'name');
    await authorizeInvoke(core, req.headers.authorization, name);
    const model = await service.get(name);
    const version = pinned
      ? parseVersion(param(req, 'version'))
      : (model.liveVersion ?? model.versions.at(-1)?.version);
    const info = model.versions.find((v) => v.version === version);
    if (!info) throw new PlinthError('not_found', `model "${name}" has no version ${version ?? ''}`.trim());
    sendJson(res, 200, buildModelOpenApi(name, info, `${req.protocol}://${req.headers.host ?? 'localhost'}`));
  };
  router.get('/models/:name/openapi.json', openapi(false));
  router.get('/models/:name/versions/:version/openapi.json', openapi(true));
  return router;
}
