import { describe, expect, it } from 'vitest';
import { ProcessPool, type PooledProcess } from './ProcessPool.ts';

/** A process that lives until killed: the pool's bookkeeping is what is under test. */
class Plain implements PooledProcess {
  readonly startedAt = Date.now() - 60_000;
  usable = true;
  retire = false;
  private readonly listeners: (() => void)[] = [];
  onExit(listener: () => void): void {
    this.listeners.push(listener);
  }
  kill(): void {
    if (!this.usable) return;
    this.usable = false;
    for (const listener of this.listeners.splice(0)) listener();
  }
}

function pool(size: number, capacity: number, maxQueue = 10) {
  const started: Plain[] = [];
  const p = new ProcessPool<Plain>(
    'test',
    { size, capacity, maxQueue, queueTimeoutMs: 5000 },
    async () => {
      const process = new Plain();
      started.push(process);
      return process;
    },
    () => {},
  );
  return { p, started };
}

const pending = async <T>(promise: Promise<T>): Promise<boolean> =>
  Promise.race([promise.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 20))]);

describe('ProcessPool with a per-process capacity (predict_concurrency)', () => {
  it('leases one process up to `capacity` times, then queues', async () => {
    const { p, started } = pool(1, 3);
    await p.warm();
    const leases = await Promise.all([p.lease(), p.lease(), p.lease()]);
    expect(new Set(leases).size).toBe(1);
    expect(p.busy).toBe(3);
    const fourth = p.lease();
    expect(await pending(fourth)).toBe(true);
    expect(p.queued).toBe(1);
    p.release(leases[0]);
    expect(await fourth).toBe(started[0]);
    expect(p.busy).toBe(3);
    expect(started).toHaveLength(1);
  });

  it('with capacity 1 behaves as before: one use per process, more processes as uses wait', async () => {
    const { p, started } = pool(2, 1);
    const [a, b] = await Promise.all([p.lease(), p.lease()]);
    expect(a).not.toBe(b);
    expect(started).toHaveLength(2);
    const third = p.lease();
    expect(await pending(third)).toBe(true);
    p.release(b);
    expect(await third).toBe(b);
  });

  it('a process that dies frees all its uses; a retiring one takes no new uses and stops after its last', async () => {
    const { p, started } = pool(1, 2);
    await p.warm();
    const [a, b] = await Promise.all([p.lease(), p.lease()]);
    a.retire = true;
    p.release(a);
    expect(a.usable).toBe(true); // b still uses it
    const next = p.lease();
    p.release(b);
    expect(a.usable).toBe(false);
    const replacement = await next;
    expect(replacement).not.toBe(a);
    expect(p.busy).toBe(1);
    replacement.kill();
    expect(p.busy).toBe(0);
    expect(started.length).toBeGreaterThanOrEqual(2);
  });
});
