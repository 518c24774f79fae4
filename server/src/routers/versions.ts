import { GraphRefSchema, PublishBodySchema, VersionRefSchema } from '@plinth/shared';
import { adminProcedure, router } from '../trpc.ts';

export const versionsRouter = router({
  list: adminProcedure.input(GraphRefSchema).query(({ ctx, input }) => ctx.services.versions.list(input.name)),
  get: adminProcedure
    .input(VersionRefSchema)
    .query(({ ctx, input }) => ctx.services.versions.get(input.name, input.version)),
  publish: adminProcedure
    .input(GraphRefSchema.extend(PublishBodySchema.shape))
    .mutation(({ ctx, input }) => ctx.services.versions.publish(input.name, input.promote ?? true, input.note)),
  promote: adminProcedure
    .input(VersionRefSchema)
    .mutation(({ ctx, input }) => ctx.services.versions.promote(input.name, input.version)),
});
