import type { RunTrace } from '@plinth/shared';

/** What the run of the input's example on the server says about publishing the draft. */
export type ExampleCheck =
  | { kind: 'passed' }
  /** A node failed: publishing is refused unless the person confirms. */
  | { kind: 'failed'; nodeId: string | null; message: string; traceback?: string }
  /** A node imports a module that is not installed: every call would fail the same way. */
  | { kind: 'missing_module'; nodeId: string; module: string; message: string };

const NO_MODULE = /No module named '([^']+)'/;

/** Judge a finished example run (its trace), or the failure of the run itself (`runError`). */
export function judgeExampleRun(trace: RunTrace | null, runError: string | null): ExampleCheck {
  if (runError !== null) return { kind: 'failed', nodeId: null, message: runError };
  if (trace === null) return { kind: 'failed', nodeId: null, message: 'The example run did not finish.' };
  const error = trace.error;
  if (error === null) return { kind: 'passed' };
  const module = error.type === 'ModuleNotFoundError' ? NO_MODULE.exec(error.message)?.[1] : undefined;
  // Some messages already start with their type: say it once.
  const typed = error.type !== undefined && !error.message.startsWith(`${error.type}:`);
  const described = `${typed ? `${error.type}: ` : ''}${error.message}`;
  if (module !== undefined) {
    return {
      kind: 'missing_module',
      nodeId: error.nodeId,
      module,
      message: `Node ${error.nodeId} imports ${module}, which is not installed on the server (${described}). Add it to the node's requirements, then publish.`,
    };
  }
  return {
    kind: 'failed',
    nodeId: error.nodeId,
    message: `Node ${error.nodeId} failed on the input's example: ${described}`,
    ...(error.traceback !== undefined ? { traceback: error.traceback } : {}),
  };
}
