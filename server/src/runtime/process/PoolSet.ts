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
  /** Pools kept warm whatever else is used (live versions): evicted only when every pool is one. */
  private readonly kept = new Set<string>();

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

  /** Keeps (or stops keeping) the pools whose key `matches` out of eviction's reach. */
  keep(matches: (key: string) => boolean, kept: boolean): void {
    for (const key of this.pools.keys()) if (matches(key)) this.setKept(key, kept);
  }

  setKept(key: string, kept: boolean): void {
    if (kept) this.kept.add(key);
    else this.kept.delete(key);
  }

  /** Removes and stops the pools whose key `matches`. */
  async retire(matches: (key: string) => boolean): Promise<void> {
    const gone = [...this.pools.values()].filter((p) => matches(p.key));
    for (const pool of gone) {
      this.pools.delete(pool.key);
      this.kept.delete(pool.key);
    }
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
      // Prefer the least recently used pool that nothing is using and that is not kept warm.
      const all = [...this.pools.values()];
      const victim =
        all.find((p) => p.busy === 0 && !this.kept.has(p.key)) ??
        all.find((p) => !this.kept.has(p.key)) ??
        all.find((p) => p.busy === 0) ??
        all[0]!;
      this.pools.delete(victim.key);
      this.kept.delete(victim.key);
      this.onEvict(victim);
      void victim.close();
    }
  }
}
