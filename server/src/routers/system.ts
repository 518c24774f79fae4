import { SERVER_VERSION } from '../version.ts';
import { adminProcedure, publicProcedure, router } from '../trpc.ts';

export const systemRouter = router({
  /** Answers without auth, so the IDE can tell "server down" from "wrong token". */
  ping: publicProcedure.query(() => ({ ok: true as const })),
  whoami: adminProcedure.query(() => ({ admin: true as const })),
  info: adminProcedure.query(({ ctx }) => ({
    sandbox: ctx.runtime.sandbox,
    version: SERVER_VERSION,
    publicUrl: ctx.publicUrl,
  })),
});
