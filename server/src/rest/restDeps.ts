import type { Request, RequestHandler } from 'express';
import type { Services } from '../services/index.ts';

export interface RestDeps {
  services: Services;
  /** Admin-only guard: 401 without a token, 403 with a wrong one. */
  admin: RequestHandler;
  /**
   * Reads the JSON body within the size limit. With `expected` (what the body should be,
   * for the message) an empty body is a 400; with null it comes back as `NO_BODY`.
   */
  body: (req: Request, expected: string | null) => Promise<unknown>;
  adminToken: string;
}
