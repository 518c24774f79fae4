import { spawn, type ChildProcessWithoutNullStreams, type StdioOptions } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import type { WorkerCommand } from './sandboxCommand.ts';

/**
 * Starts one worker process as `command` says: stdin/stdout/stderr are pipes, `files` are fd 3,
 * 4, ..., it leads its own process group (so killing `-pid` reaches everything it started), and a
 * gated launcher is prepared (network, cgroup) before the sandbox inside it starts. A set-up that
 * fails makes the launcher exit with the reason on its stderr, so it reaches the node's error.
 */
export function spawnWorker(command: WorkerCommand): ChildProcessWithoutNullStreams {
  const fds = command.files.map((path) => openSync(path, 'r'));
  const stdio: StdioOptions = ['pipe', 'pipe', 'pipe', ...fds, ...(command.prepare ? ['pipe' as const] : [])];
  let child: ChildProcessWithoutNullStreams;
  try {
    // stdio 0-2 are pipes, so the streams exist; Node types only literal stdio tuples that way.
    child = spawn(command.file, command.args, {
      stdio,
      env: command.env,
      cwd: '/',
      detached: true,
      ...(command.uid !== undefined ? { uid: command.uid, gid: command.gid } : {}),
    }) as ChildProcessWithoutNullStreams;
  } finally {
    for (const fd of fds) closeSync(fd); // the child has its own copies
  }
  if (command.prepare) gate(child, command.prepare, 3 + fds.length);
  return child;
}

function gate(child: ChildProcessWithoutNullStreams, prepare: (pid: number) => Promise<() => void>, fd: number) {
  const socket = child.stdio[fd] as Duplex;
  socket.on('error', () => {}); // the launcher died: its exit is reported by the worker
  socket.once('data', () => {
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null) return;
    prepare(pid).then(
      (teardown) => {
        if (child.exitCode !== null || child.signalCode !== null) teardown();
        else child.once('exit', teardown);
        socket.end('go\n');
      },
      (error: Error) => refuse(child, socket, error.message),
    );
  });
}

const REFUSAL_ECHO_MS = 2000;

/** Tells the launcher why it may not start, and lets it exit once its stderr carried the reason. */
function refuse(child: ChildProcessWithoutNullStreams, socket: Duplex, reason: string): void {
  const close = () => {
    clearTimeout(timer);
    child.stderr.off('data', onStderr);
    socket.end();
  };
  const onStderr = (chunk: string | Buffer) => {
    if (String(chunk).includes('plinth: ')) close();
  };
  const timer = setTimeout(close, REFUSAL_ECHO_MS);
  child.stderr.on('data', onStderr);
  socket.write(`${reason.replace(/\s+/g, ' ')}\n`);
}
