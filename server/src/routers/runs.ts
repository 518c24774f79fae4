import { RunQuerySchema, RunRefSchema } from '@plinth/shared';
import { adminProcedure, router } from '../trpc.ts';

export const runsRouter = router({
  list: adminProcedure.input(RunQuerySchema).query(({ ctx, input }) => ctx.services.runs.list(input)),
  get: adminProcedure.input(RunRefSchema).query(({ ctx, input }) => ctx.services.runs.get(input.id)),
});
