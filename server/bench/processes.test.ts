import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freePort, ProcessSet, processTree } from './processes.ts';

/** Running, i.e. neither gone nor a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('benchmark processes', () => {
  it('stops a server, its children, and a child that left its process group', async () => {
    const processes = new ProcessSet();
    // A shell that ignores SIGTERM (so the SIGKILL fallback is needed), with one child in its
    // group and one in a session of its own, as bubblewrap's --new-session makes.
    const proc = processes.start('server', 'sh', ['-c', "trap '' TERM; setsid sleep 300 & sleep 300 & wait"], {});
    await until(() => processTree(proc.pid).length >= 3);
    const tree = processTree(proc.pid).map((p) => p.pid);

    await processes.stop(proc.pid, 300);

    await until(() => tree.every((pid) => !alive(pid)));
    expect(tree.filter(alive)).toEqual([]);
  });

  it('finds a loopback port that a server can then listen on', async () => {
    const port = await freePort();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    expect((server.address() as { port: number }).port).toBe(port);
    await new Promise((resolve) => server.close(resolve));
  });
});
