import { z } from 'zod';
import { adminProcedure, router } from '../trpc.ts';

const name = z.string();
const version = z.number().int().positive();

export const versionsRouter = router({
  list: adminProcedure.input(z.object({ name })).query(({ ctx, input }) => ctx.services.versions.list(input.name)),
  get: adminProcedure
    .input(z.object({ name, version }))
    .query(({ ctx, input }) => ctx.services.versions.get(input.name, input.version)),
  publish: adminProcedure
    .input(z.object({ name, promote: z.boolean().optional() }))
    .mutation(({ ctx, input }) => ctx.services.versions.publish(input.name, input.promote ?? true)),
  promote: adminProcedure
    .input(z.object({ name, version }))
    .mutation(({ ctx, input }) => ctx.services.versions.promote(input.name, input.version)),
});
