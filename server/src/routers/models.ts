import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { octetInputParser } from '@trpc/server/http';
import { ModelPredictSchema, ModelRefSchema, ModelVersionRefSchema } from '@plinth/shared';
import { adminProcedure, router } from '../trpc.ts';

/** Models for the IDE: the list with status and example input, one model with its logs, previews, upload. */
export const modelsRouter = router({
  list: adminProcedure.query(({ ctx }) => ctx.models.service.list()),
  get: adminProcedure.input(ModelRefSchema).query(({ ctx, input }) => ctx.models.service.get(input.name)),
  version: adminProcedure
    .input(ModelVersionRefSchema)
    .query(({ ctx, input }) => ctx.models.service.getVersion(input.name, input.version)),
  promote: adminProcedure
    .input(ModelVersionRefSchema)
    .mutation(({ ctx, input }) => ctx.models.service.promote(input.name, input.version)),
  /** A model node's preview: the same predict a run makes. */
  predict: adminProcedure.input(ModelPredictSchema).mutation(({ ctx, input, signal }) =>
    ctx.models.service.predict(input.name, input.input, {
      ...(input.version !== undefined ? { version: input.version } : {}),
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      ...(signal ? { signal } : {}),
    }),
  ),
  /**
   * The package as a .tar.gz body (`application/octet-stream`); its name is config.yaml's
   * model_name. Within PLINTH_MAX_BODY_BYTES; larger packages go through POST /api/v1/models.
   */
  upload: adminProcedure
    .input(octetInputParser)
    .mutation(({ ctx, input }) =>
      ctx.models.service.upload(Readable.fromWeb(input as unknown as WebReadableStream<Uint8Array>)),
    ),
});
