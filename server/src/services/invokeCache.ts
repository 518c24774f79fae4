import { compileSchema, requestNodeOf, type GraphDocument, type InputNode } from '@plinth/shared';
import type { Db } from '../db/database.ts';
import type { DeploymentEvents } from '../events.ts';
import { graphNotFound, loadDocument, versionNotFound } from './documents.ts';
import { versionPoolKey } from './context.ts';

type SchemaValidator = NonNullable<ReturnType<typeof compileSchema>['validate']>;

/** Everything an invoke needs about one published version, held in memory. */
export interface ServedVersion {
  graphId: string;
  name: string;
  version: number;
  graph: GraphDocument;
  poolKey: string;
  /** The input node's compiled schema; absent when the graph takes any JSON. */
  validate?: SchemaValidator;
}

/**
 * Live and pinned versions by graph name, so a warm invoke touches no database.
 * Versions are immutable, so only "which one is live" and "does the graph still
 * exist under this name" can go stale; deployment events say when.
 */
export class InvokeCache {
  private readonly live = new Map<string, ServedVersion | null>();
  private readonly pinned = new Map<string, ServedVersion>();
  private readonly ids = new Map<string, string | null>();
  // Bumped on every invalidation: a load that began before it must not be cached.
  private generation = 0;

  constructor(
    private readonly db: Db,
    events: DeploymentEvents,
  ) {
    events.on('graphCreated', ({ name }) => this.invalidate(name));
    events.on('graphRenamed', ({ from, to }) => {
      this.invalidate(from);
      this.invalidate(to);
    });
    events.on('graphDeleted', ({ name }) => this.invalidate(name));
    events.on('versionPublished', ({ name }) => this.invalidate(name));
    events.on('versionPromoted', ({ name }) => this.invalidate(name));
  }

  invalidate(name: string): void {
    this.generation++;
    this.live.delete(name);
    this.ids.delete(name);
    for (const [key, entry] of this.pinned) if (entry.name === name) this.pinned.delete(key);
  }

  /** The id of the graph called `name` now, or null. */
  async graphId(name: string): Promise<string | null> {
    const hit = this.ids.get(name);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const row = await this.db.selectFrom('graphs').select('id').where('name', '=', name).executeTakeFirst();
    const id = row?.id ?? null;
    if (generation === this.generation) this.ids.set(name, id);
    return id;
  }

  /** The live version of a graph; null when it exists but has never been published. */
  async getLive(name: string): Promise<ServedVersion | null> {
    const hit = this.live.get(name);
    if (hit !== undefined) return hit;
    const generation = this.generation;
    const row = await this.db
      .selectFrom('graphs')
      .leftJoin('versions', (join) =>
        join.onRef('versions.graph_id', '=', 'graphs.id').onRef('versions.version', '=', 'graphs.live_version'),
      )
      .select(['graphs.id', 'graphs.live_version', 'versions.document'])
      .where('graphs.name', '=', name)
      .executeTakeFirst();
    if (!row) throw graphNotFound(name);
    const entry =
      row.live_version !== null && row.document ? served(row.id, name, row.live_version, row.document) : null;
    if (generation === this.generation) this.live.set(name, entry);
    return entry;
  }

  async getPinned(name: string, version: number): Promise<ServedVersion> {
    const key = `${name}@${version}`;
    const hit = this.pinned.get(key);
    if (hit) return hit;
    const generation = this.generation;
    const row = await this.db
      .selectFrom('versions')
      .innerJoin('graphs', 'graphs.id', 'versions.graph_id')
      .select(['graphs.id', 'versions.document'])
      .where('graphs.name', '=', name)
      .where('versions.version', '=', version)
      .executeTakeFirst();
    if (!row) {
      const exists = await this.db.selectFrom('graphs').select('id').where('name', '=', name).executeTakeFirst();
      throw exists ? versionNotFound(name, version) : graphNotFound(name);
    }
    const entry = served(row.id, name, version, row.document);
    if (generation === this.generation) this.pinned.set(key, entry);
    return entry;
  }
}

function served(graphId: string, name: string, version: number, document: string): ServedVersion {
  const graph = loadDocument(document);
  const input = requestNodeOf(graph.nodes) as InputNode | undefined;
  const validate = input?.schema ? compileSchema(input.schema).validate : undefined;
  return { graphId, name, version, graph, poolKey: versionPoolKey(name, version), ...(validate ? { validate } : {}) };
}
