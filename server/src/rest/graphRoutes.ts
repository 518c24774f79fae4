import { Router, type Request } from 'express';
import { PlinthError, PublishBodySchema, TestRunBodySchema } from '@plinth/shared';
import type { PlinthCore } from '../plinth.ts';
import { NO_BODY } from './body.ts';
import { adminOnly, readBody } from './http.ts';
import { parseVersion } from './invoke.ts';
import { closedSignal, param, parseBody, sendJson } from './respond.ts';

/** `If-Match: 3` or the ETag form `"3"`; absent or `*` means "overwrite whatever is there". */
function parseIfMatch(req: Request): number | undefined {
  const raw = req.headers['if-match'];
  if (raw === undefined || raw.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(raw);
  if (!match) {
    throw new PlinthError(
      'bad_request',
      `If-Match must be the graph's revision number, such as "3", got ${JSON.stringify(raw)}`,
    );
  }
  return Number(match[1]);
}

/** Admin endpoints over drafts and versions. */
export function graphRoutes(core: PlinthCore): Router {
  const { services } = core;
  const admin = adminOnly(core);
  const body = (req: Request, expected: string | null) => readBody(core, req, expected);
  const router = Router();
  router.get('/graphs', admin, async (_req, res) => {
    sendJson(res, 200, await services.graphs.list());
  });

  router.post('/graphs', admin, async (req, res) => {
    const created = await services.graphs.create(await body(req, 'a graph document'));
    sendJson(res, 201, created, { Location: `/api/v1/graphs/${created.name}`, ETag: `"${created.revision}"` });
  });

  router.get('/graphs/:name', admin, async (req, res) => {
    const draft = await services.graphs.get(param(req, 'name'));
    sendJson(res, 200, draft, { ETag: `"${draft.revision}"` });
  });

  router.put('/graphs/:name', admin, async (req, res) => {
    const expected = parseIfMatch(req);
    const saved = await services.graphs.update(param(req, 'name'), await body(req, 'a graph document'), expected);
    sendJson(res, 200, saved, { ETag: `"${saved.revision}"` });
  });

  router.delete('/graphs/:name', admin, async (req, res) => {
    await services.graphs.delete(param(req, 'name'));
    res.status(204).end();
  });

  router.post('/graphs/:name/test', admin, async (req, res) => {
    const payload = await body(req, '{"input": ...}');
    const { input } = parseBody(TestRunBodySchema, payload, '{"input": <the input to run the draft with>}');
    const trace = await services.invoke.test(param(req, 'name'), input, { signal: closedSignal(res) });
    sendJson(res, 200, trace, { 'Plinth-Run-Id': trace.runId });
  });

  router.post('/graphs/:name/versions', admin, async (req, res) => {
    const payload = await body(req, null);
    const { promote, note } = parseBody(
      PublishBodySchema,
      payload === NO_BODY || payload === null ? {} : payload,
      'empty, or {"promote": true|false, "note": "what changed"}',
    );
    const published = await services.versions.publish(param(req, 'name'), promote ?? true, note);
    sendJson(res, 201, published, { Location: `/api/v1/graphs/${param(req, 'name')}/versions/${published.version}` });
  });

  router.get('/graphs/:name/versions', admin, async (req, res) => {
    sendJson(res, 200, await services.versions.list(param(req, 'name')));
  });

  router.get('/graphs/:name/versions/:version', admin, async (req, res) => {
    sendJson(res, 200, await services.versions.get(param(req, 'name'), parseVersion(param(req, 'version'))));
  });

  router.post('/graphs/:name/versions/:version/promote', admin, async (req, res) => {
    sendJson(res, 200, await services.versions.promote(param(req, 'name'), parseVersion(param(req, 'version'))));
  });

  return router;
}
