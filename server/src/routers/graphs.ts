import {
  CreateGraphSchema,
  DuplicateGraphSchema,
  GraphRefSchema,
  TestRunBodySchema,
  UpdateGraphSchema,
} from '@plinth/shared';
import { listTemplates } from '../templates.ts';
import { adminProcedure, router } from '../trpc.ts';

export const graphsRouter = router({
  list: adminProcedure.query(({ ctx }) => ctx.services.graphs.list()),
  get: adminProcedure.input(GraphRefSchema).query(async ({ ctx, input }) => {
    const draft = await ctx.services.graphs.get(input.name);
    return { document: draft.document, revision: draft.revision, updatedAt: draft.updatedAt };
  }),
  create: adminProcedure
    .input(CreateGraphSchema)
    .mutation(({ ctx, input }) => ctx.services.graphs.create(input.document)),
  update: adminProcedure.input(UpdateGraphSchema).mutation(async ({ ctx, input }) => {
    const saved = await ctx.services.graphs.update(input.name, input.document, input.revision);
    return { revision: saved.revision, name: saved.name };
  }),
  delete: adminProcedure.input(GraphRefSchema).mutation(async ({ ctx, input }) => {
    await ctx.services.graphs.delete(input.name);
    return { ok: true as const };
  }),
  duplicate: adminProcedure
    .input(DuplicateGraphSchema)
    .mutation(({ ctx, input }) => ctx.services.graphs.duplicate(input.name, input.newName)),
  test: adminProcedure
    .input(GraphRefSchema.extend(TestRunBodySchema.shape))
    .mutation(({ ctx, input, signal }) => ctx.services.invoke.test(input.name, input.input, signal ? { signal } : {})),
  templates: adminProcedure.query(() => listTemplates()),
});
