import { z } from 'zod';
import { adminProcedure, router } from '../trpc.ts';

/** Write-only secrets for `ctx.secrets`: names are listed, values never come back. */
export const secretsRouter = router({
  list: adminProcedure.query(({ ctx }) => ctx.services.secrets.list()),
  set: adminProcedure.input(z.object({ name: z.string(), value: z.string() })).mutation(async ({ ctx, input }) => {
    const saved = await ctx.services.secrets.set(input.name, input.value);
    return { name: saved.name };
  }),
  delete: adminProcedure.input(z.object({ name: z.string() })).mutation(async ({ ctx, input }) => {
    await ctx.services.secrets.delete(input.name);
    return { ok: true as const };
  }),
});
