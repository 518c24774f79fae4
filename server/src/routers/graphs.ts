import { z } from 'zod';
import { JsonSchema } from '@plinth/shared';
import { listTemplates } from '../templates.ts';
import { adminProcedure, router } from '../trpc.ts';

const name = z.string();

export const graphsRouter = router({
  list: adminProcedure.query(({ ctx }) => ctx.services.graphs.list()),
  get: adminProcedure.input(z.object({ name })).query(async ({ ctx, input }) => {
    const draft = await ctx.services.graphs.get(input.name);
    return { document: draft.document, revision: draft.revision, updatedAt: draft.updatedAt };
  }),
  create: adminProcedure
    .input(z.object({ document: z.unknown() }))
    .mutation(({ ctx, input }) => ctx.services.graphs.create(input.document)),
  update: adminProcedure
    .input(z.object({ name, document: z.unknown(), revision: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const saved = await ctx.services.graphs.update(input.name, input.document, input.revision);
      return { revision: saved.revision, name: saved.name };
    }),
  delete: adminProcedure.input(z.object({ name })).mutation(async ({ ctx, input }) => {
    await ctx.services.graphs.delete(input.name);
    return { ok: true as const };
  }),
  duplicate: adminProcedure
    .input(z.object({ name, newName: z.string() }))
    .mutation(({ ctx, input }) => ctx.services.graphs.duplicate(input.name, input.newName)),
  test: adminProcedure
    .input(z.object({ name, input: JsonSchema }))
    .mutation(({ ctx, input }) => ctx.services.graphs.test(input.name, input.input)),
  templates: adminProcedure.query(() => listTemplates()),
});
