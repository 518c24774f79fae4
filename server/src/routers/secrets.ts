import { SecretBodySchema, SecretRefSchema } from '@plinth/shared';
import { adminProcedure, router } from '../trpc.ts';

/** Write-only secrets for `ctx.secrets`: names are listed, values never come back. */
export const secretsRouter = router({
  list: adminProcedure.query(({ ctx }) => ctx.services.secrets.list()),
  set: adminProcedure.input(SecretBodySchema).mutation(async ({ ctx, input }) => {
    const saved = await ctx.services.secrets.set(input.name, input.value);
    return { name: saved.name };
  }),
  delete: adminProcedure.input(SecretRefSchema).mutation(async ({ ctx, input }) => {
    await ctx.services.secrets.delete(input.name);
    return { ok: true as const };
  }),
});
