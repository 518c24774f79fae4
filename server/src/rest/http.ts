import type { Request, RequestHandler } from 'express';
import { PlinthError } from '@plinth/shared';
import { assertAdmin, identifyCaller, missingToken } from '../auth.ts';
import type { PlinthCore } from '../plinth.ts';
import { NO_BODY, readJsonBody, type BodyLimits } from './body.ts';

/** Admin-only guard: 401 without a token, 403 with a wrong one. */
export function adminOnly(core: PlinthCore): RequestHandler {
  return (req, _res, next) => {
    assertAdmin(identifyCaller(req.headers.authorization, core.config.adminToken));
    next();
  };
}

/**
 * Reads the JSON body within the size limit. With `expected` (what the body should be, for the
 * message) an empty body is a 400; with null it comes back as `NO_BODY`.
 */
export async function readBody(core: PlinthCore, req: Request, expected: string | null): Promise<unknown> {
  const value = await readJsonBody(req, bodyLimits(core));
  if (value === NO_BODY && expected !== null) {
    throw new PlinthError('invalid_json', `the request body is empty; send ${expected}`);
  }
  return value;
}

export function bodyLimits(core: PlinthCore): BodyLimits {
  return { maxBytes: core.config.maxBodyBytes, maxDepth: core.config.maxJsonDepth };
}

/** Lets the admin or an API key scoped to `graph` through: who may invoke a graph may read its API. */
export async function authorizeInvoke(
  core: PlinthCore,
  authorization: string | undefined,
  graph: string,
): Promise<string | null> {
  const caller = identifyCaller(authorization, core.config.adminToken);
  if (caller.kind === 'anonymous') throw missingToken();
  // The key's id, for its share of cold worker starts; null for the admin.
  return caller.kind === 'bearer' ? core.services.keys.authorize(caller.token, graph) : null;
}
