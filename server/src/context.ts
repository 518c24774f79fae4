import type { CreateExpressContextOptions } from '@trpc/server/adapters/express';
import { identifyCaller, type Caller } from './auth.ts';
import type { Db } from './db/database.ts';
import type { Runtime } from './runtime/types.ts';
import type { Services } from './services/index.ts';

/** What the server is built from; the same for every request. */
export interface AppDeps {
  db: Db;
  runtime: Runtime;
  services: Services;
  adminToken: string;
  /** Where the server is reachable, e.g. `http://127.0.0.1:3000`, for "how to call it" snippets. */
  publicUrl: string;
}

export interface Context extends AppDeps {
  caller: Caller;
}

/** A context without a request: what tests hand to `appRouter.createCaller(...)`. */
export function createContextInner(deps: AppDeps & { caller?: Caller }): Context {
  return { ...deps, caller: deps.caller ?? { kind: 'admin' } };
}

/** The request-bound context: who is calling (from `Authorization: Bearer ...`) and from where. */
export function createContext(deps: AppDeps, { req }: Pick<CreateExpressContextOptions, 'req'>): Context {
  const host = req.headers.host;
  return createContextInner({
    ...deps,
    caller: identifyCaller(req.headers.authorization, deps.adminToken),
    publicUrl: host ? `${req.protocol}://${host}` : deps.publicUrl,
  });
}
