import type { RequestHandler } from 'express';
import { ERROR_STATUS } from '@plinth/shared';
import type { PlinthCore } from '../plinth.ts';
import { NO_BODY, readJsonBody } from '../rest/body.ts';
import { bodyLimits } from '../rest/http.ts';
import { sendJson, toPlinthError } from '../rest/respond.ts';

/**
 * Reads a tRPC call's body within the same limits as REST (size, UTF-8, nesting, numbers) before
 * tRPC parses it, and answers a refusal in tRPC's error envelope, so the IDE shows the same message.
 * `application/octet-stream` bodies are left to tRPC's octet input parser.
 */
export function trpcBody(core: PlinthCore): RequestHandler {
  return async (req, res, next) => {
    // A byte body (a model package) is tRPC's own octet input: it streams it within maxBodySize.
    if (req.method !== 'POST' || req.is('application/octet-stream')) return next();
    try {
      const value = await readJsonBody(req, bodyLimits(core));
      req.body = value === NO_BODY ? undefined : value;
      next();
    } catch (error) {
      const plinth = toPlinthError(error, core.log);
      const httpStatus = ERROR_STATUS[plinth.code];
      sendJson(res, httpStatus, {
        error: {
          message: plinth.message,
          code: -32600,
          data: { code: httpStatus === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST', httpStatus, plinth: plinth.toJSON() },
        },
      });
    }
  };
}
