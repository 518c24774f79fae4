/** What the LRU registry needs of a pool. */
export interface ManagedPool {
  readonly key: string;
  readonly busy: number;
  readonly size: number;
  close(now?: boolean): Promise<void>;
}

/**
 * Pools by key, least recently used first; beyond `maxPools` the least recently used idle pool is
 * stopped. Knows nothing of what runs in the pools.
 */
export class PoolSet<P extends ManagedPool> {
  private readonly pools = new Map<string, P>(); // insertion order = least recently used first

  constructor(
    private readonly maxPools: number,
    private readonly onEvict: (pool: P) => void = () => {},
  ) {}

  /** The pool under `key`, made with `create` when there is none; marks it most recently used. */
  get(key: string, create: () => P): P {
    let pool = this.pools.get(key);
    if (pool) {
      this.pools.delete(key);
      this.pools.set(key, pool);
      return pool;
    }
    pool = create();
    this.pools.set(key, pool);
    this.evictBeyond(this.maxPools);
    return pool;
  }

  peek(key: string): P | undefined {
    return this.pools.get(key);
  }

  /** Removes and stops the pools whose key `matches`. */
  async retire(matches: (key: string) => boolean): Promise<void> {
    const gone = [...this.pools.values()].filter((p) => matches(p.key));
    for (const pool of gone) this.pools.delete(pool.key);
    await Promise.all(gone.map((p) => p.close()));
  }

  async closeAll(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.close(true)));
  }

  values(): IterableIterator<P> {
    return this.pools.values();
  }

  get count(): number {
    return this.pools.size;
  }

  private evictBeyond(limit: number): void {
    while (this.pools.size > limit) {
      // Prefer the least recently used pool that nothing is using.
      const victim = [...this.pools.values()].find((p) => p.busy === 0) ?? this.pools.values().next().value!;
      this.pools.delete(victim.key);
      this.onEvict(victim);
      void victim.close();
    }
  }
}
