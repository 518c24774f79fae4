import { createHash, randomBytes } from 'node:crypto';
import { PlinthError } from '@plinth/shared';
import { nowIso, type ServiceDeps } from './context.ts';

export const API_KEY_PREFIX = 'plk_';

export interface ApiKeyInfo {
  id: string;
  name: string;
  /** Names of the graphs the key may invoke (as they are called now); null means every graph. */
  graphs: string[] | null;
  createdAt: string;
}

interface VerifiedKey {
  id: string;
  /** Ids of the graphs it may invoke: a deleted graph's key never reaches a new graph of the same name. */
  graphIds: ReadonlySet<string> | null;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** Finds a graph's id by its current name (cached by the invoke cache), or null. */
export type GraphIdLookup = (name: string) => Promise<string | null>;

/** API keys for invoke: shown once on creation, stored only as a sha256 hash, scoped by graph id. */
export class KeyService {
  // Keys verified against their stored hash, held in memory only, so an invoke touches no database.
  private readonly verified = new Map<string, VerifiedKey>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly graphId: GraphIdLookup,
  ) {}

  async create(name: string, graphs?: string[] | null): Promise<ApiKeyInfo & { key: string }> {
    const label = name.trim();
    if (!label || label.length > 200 || /\p{Cc}/u.test(label)) {
      throw new PlinthError('bad_request', 'a key needs a name of 1 to 200 characters, without control characters', {
        problems: [{ path: 'name', message: 'must be 1 to 200 printable characters' }],
      });
    }
    const names = graphs ? [...new Set(graphs)] : null;
    const ids = names ? await Promise.all(names.map((g) => this.graphId(g))) : null;
    const missing = names?.filter((_, i) => ids![i] === null) ?? [];
    if (missing.length > 0) {
      throw new PlinthError(
        'bad_request',
        `a key can be scoped to existing graphs only; there is no graph named ${missing.map((g) => JSON.stringify(g)).join(', ')}`,
        { problems: missing.map((g) => ({ path: 'graphs', message: `there is no graph named ${JSON.stringify(g)}` })) },
      );
    }
    const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const info: ApiKeyInfo = {
      id: `key_${randomBytes(8).toString('hex')}`,
      name: label,
      graphs: names,
      createdAt: nowIso(),
    };
    await this.deps.db
      .insertInto('api_keys')
      .values({
        id: info.id,
        name: info.name,
        key_hash: hashApiKey(key),
        graphs: ids ? JSON.stringify(ids) : null,
        created_at: info.createdAt,
      })
      .execute();
    return { ...info, key };
  }

  async list(): Promise<ApiKeyInfo[]> {
    const rows = await this.deps.db
      .selectFrom('api_keys')
      .select(['id', 'name', 'graphs', 'created_at'])
      .orderBy('created_at')
      .execute();
    const graphs = await this.deps.db.selectFrom('graphs').select(['id', 'name']).execute();
    const nameOf = new Map(graphs.map((g) => [g.id, g.name]));
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      // A scope on a deleted graph lists nothing: it allows nothing.
      graphs: r.graphs ? (JSON.parse(r.graphs) as string[]).flatMap((id) => nameOf.get(id) ?? []) : null,
      createdAt: r.created_at,
    }));
  }

  async delete(id: string): Promise<void> {
    const result = await this.deps.db.deleteFrom('api_keys').where('id', '=', id).executeTakeFirst();
    this.forgetVerified();
    if (result.numDeletedRows === 0n)
      throw new PlinthError('not_found', `there is no API key with id "${id}"`, { key: id });
  }

  /** Drops verified keys from memory, after a key or its scope changed. */
  forgetVerified(): void {
    this.verified.clear();
  }

  /**
   * Checks a key may invoke the graph named `graph` and answers its id: 403 for an unknown key, or
   * one scoped to other graphs (or to a graph of that name that was deleted since).
   */
  async authorize(key: string, graph: string): Promise<string> {
    let found = this.verified.get(key);
    if (!found) {
      const row = await this.deps.db
        .selectFrom('api_keys')
        .select(['id', 'graphs'])
        .where('key_hash', '=', hashApiKey(key))
        .executeTakeFirst();
      if (!row)
        throw new PlinthError('forbidden', 'the API key or token is not valid; create a key with POST /api/v1/keys');
      found = { id: row.id, graphIds: row.graphs ? new Set(JSON.parse(row.graphs) as string[]) : null };
      this.verified.set(key, found);
    }
    if (found.graphIds === null) return found.id;
    const id = await this.graphId(graph);
    if (id === null || !found.graphIds.has(id)) {
      throw new PlinthError('forbidden', `this API key may not call graph "${graph}"`, { graph, key: found.id });
    }
    return found.id;
  }
}
