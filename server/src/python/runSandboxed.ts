import type { RuntimeOptions } from '../runtime/process/runtimeOptions.ts';
import { workerCommand, type SandboxSpec } from '../runtime/process/sandboxCommand.ts';
import { spawnWorker } from '../runtime/process/spawnWorker.ts';

export interface SandboxedResult {
  /** Exit status, or null when killed (by the deadline or a signal). */
  status: number | null;
  stdout: string;
  stderr: string;
  /** The deadline passed and the sandbox was killed. */
  timedOut: boolean;
}

/** Output kept per stream: pip can be chatty, and only its last lines matter for an error. */
const MAX_OUTPUT_CHARS = 1_000_000;

/**
 * Runs one command in the worker sandbox to completion (or until `deadline`, a `Date.now()`
 * value, when the whole sandbox is killed: bwrap's `--die-with-parent` takes its children along).
 */
export function runSandboxed(options: RuntimeOptions, spec: SandboxSpec, deadline: number): Promise<SandboxedResult> {
  const command = workerCommand(options, spec);
  return new Promise((resolve) => {
    // As a worker starts: the seccomp filter and the network's set-up come with the command.
    const child = spawnWorker(command);
    child.stdin.end();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout = keepTail(stdout + text)));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = keepTail(stderr + text)));
    const timer = setTimeout(
      () => {
        timedOut = true;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL'); // its whole process group
        } catch {
          child.kill('SIGKILL');
        }
      },
      Math.max(0, deadline - Date.now()),
    );
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ status: null, stdout, stderr: `${stderr}\n${command.file}: ${error.message}`, timedOut });
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}

function keepTail(text: string): string {
  return text.length > MAX_OUTPUT_CHARS ? text.slice(-MAX_OUTPUT_CHARS) : text;
}
