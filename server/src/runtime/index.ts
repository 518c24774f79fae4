/**
 * The server's sandboxed Python runtime, in layers: `process/` spawns and pools sandboxed
 * processes (knows nothing of graphs), `protocol.ts` is the runner's wire format, `graph/` runs
 * graph nodes on top of it.
 */
export type { RunRequest, Runtime, RuntimeStats } from './types.ts';
export { createGraphRuntime, workerGroups, type GraphRuntimeDeps, type WorkerGroup } from './graph/graphRuntime.ts';
export { runtimeOptionsFromEnv, DEFAULT_RUNNER_PATH, type RuntimeOptions } from './process/runtimeOptions.ts';
export { describeSandbox } from './process/describeSandbox.ts';
