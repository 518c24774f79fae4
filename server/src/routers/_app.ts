import { router } from '../trpc.ts';
import { graphsRouter } from './graphs.ts';
import { keysRouter } from './keys.ts';
import { modelsRouter } from './models.ts';
import { runsRouter } from './runs.ts';
import { secretsRouter } from './secrets.ts';
import { systemRouter } from './system.ts';
import { versionsRouter } from './versions.ts';

/** Every procedure the IDE calls; the client imports only `type AppRouter`. */
export const appRouter = router({
  graphs: graphsRouter,
  versions: versionsRouter,
  keys: keysRouter,
  models: modelsRouter,
  runs: runsRouter,
  secrets: secretsRouter,
  system: systemRouter,
});

export type AppRouter = typeof appRouter;
