/** The server's sandboxed Python runtime. */
export type { RunRequest, Runtime } from './types.ts';
export { createRuntime, type RuntimeStats, type ServerRuntime } from './createRuntime.ts';
export { runtimeOptionsFromEnv, DEFAULT_RUNNER_PATH, type RuntimeOptions } from './process/runtimeOptions.ts';
export { describeSandbox } from './process/describeSandbox.ts';
