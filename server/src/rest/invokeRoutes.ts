import { Router } from 'express';
import type { PlinthCore } from '../plinth.ts';
import { handleInvoke } from './invoke.ts';
import { param } from './respond.ts';

/**
 * The invoke endpoints inside Express, for when the app runs without `createServer`'s fast
 * path in front. Both go through `handleInvoke`, so they behave the same.
 */
export function invokeRoutes(core: PlinthCore): Router {
  const router = Router();
  router.post('/graphs/:name/invoke', (req, res) => handleInvoke(core, req, res, { name: param(req, 'name') }));
  router.post('/graphs/:name/versions/:version/invoke', (req, res) =>
    handleInvoke(core, req, res, { name: param(req, 'name'), version: param(req, 'version') }),
  );
  return router;
}
