import type { RequestHandler } from 'express';
import { ERROR_STATUS } from '@plinth/shared';
import type { PlinthCore } from '../plinth.ts';
import { NO_BODY, readJsonBody, tooLarge } from '../rest/body.ts';
import { bodyLimits } from '../rest/http.ts';
import { sendJson, toPlinthError } from '../rest/respond.ts';

/**
 * Reads a tRPC call's body within the same limits as REST (size, UTF-8, nesting, numbers) before
 * tRPC parses it, and answers a refusal in tRPC's error envelope, so the IDE shows the same message.
 * `application/octet-stream` bodies are left to tRPC's octet input parser.
 */
export function trpcBody(core: PlinthCore): RequestHandler {
  return async (req, res, next) => {
    if (req.method !== 'POST') return next();
    try {
      if (req.is('application/octet-stream')) {
        // A byte body (a model package) is tRPC's own octet input, streamed within maxBodySize;
        // one declared larger is refused before a byte is read, naming the setting.
        const declared = Number(req.headers['content-length'] ?? NaN);
        if (declared > core.config.maxBodyBytes) throw tooLarge(core.config.maxBodyBytes);
        return next();
      }
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
