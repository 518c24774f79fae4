import { CreateKeyBodySchema, KeyRefSchema } from '@plinth/shared';
import { adminProcedure, router } from '../trpc.ts';

export const keysRouter = router({
  create: adminProcedure.input(CreateKeyBodySchema).mutation(async ({ ctx, input }) => {
    const created = await ctx.services.keys.create(input.name, input.graphs ?? null);
    return { id: created.id, name: created.name, key: created.key, graphs: created.graphs };
  }),
  list: adminProcedure.query(({ ctx }) => ctx.services.keys.list()),
  delete: adminProcedure.input(KeyRefSchema).mutation(async ({ ctx, input }) => {
    await ctx.services.keys.delete(input.id);
    return { ok: true as const };
  }),
});
