import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { identifyCaller, type Caller } from './auth.ts';
import type { PlinthCore } from './plinth.ts';

/** A tRPC procedure's context: the server, who is calling, and where the server is reachable. */
export interface Context extends Omit<PlinthCore, 'publicUrl'> {
  caller: Caller;
  /** Where the server is reachable, e.g. `http://127.0.0.1:3000`, for "how to call it" snippets. */
  publicUrl: string;
}

/** A context without a request: what tests hand to `appRouter.createCaller(...)`. */
export function createContextInner(core: PlinthCore, caller: Caller = { kind: 'admin' }): Context {
  return { ...core, caller, publicUrl: core.publicUrl() };
}

/** The request-bound context: who is calling (from `Authorization: Bearer ...`) and from where. */
export function createContext(core: PlinthCore, { req }: Pick<CreateExpressContextOptions, 'req'>): Context {
  const context = createContextInner(core, identifyCaller(req.headers.authorization, core.config.adminToken));
  const host = req.headers.host;
  return host ? { ...context, publicUrl: `${req.protocol}://${host}` } : context;
}
