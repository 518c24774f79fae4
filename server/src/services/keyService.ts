import { createHash, randomBytes } from 'node:crypto';
import { GRAPH_NAME_PATTERN, PlinthError } from '@plinth/shared';
import type { DeploymentEvents } from '../events.ts';
import { nowIso, type ServiceDeps } from './context.ts';

export const API_KEY_PREFIX = 'plk_';

export interface ApiKeyInfo {
  id: string;
  name: string;
  /** Graph names the key may invoke; null means every graph. */
  graphs: string[] | null;
  createdAt: string;
}

interface VerifiedKey {
  id: string;
  graphs: ReadonlySet<string> | null;
}

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** API keys for invoke: shown once on creation, stored only as a sha256 hash. */
export class KeyService {
  // Keys verified against their stored hash, held in memory only, so an invoke touches no database.
  private readonly verified = new Map<string, VerifiedKey>();

  constructor(
    private readonly deps: ServiceDeps,
    events: DeploymentEvents,
  ) {
    // Scopes name graphs: a rename or delete changes what a verified key may call.
    events.on('graphRenamed', () => this.forgetVerified());
    events.on('graphDeleted', () => this.forgetVerified());
  }

  async create(name: string, graphs?: string[] | null): Promise<ApiKeyInfo & { key: string }> {
    const label = name.trim();
    if (!label || label.length > 200) throw new PlinthError('bad_request', 'a key needs a name of 1 to 200 characters');
    const bad = (graphs ?? []).filter((g) => !GRAPH_NAME_PATTERN.test(g));
    if (bad.length > 0) {
      throw new PlinthError('bad_request', `not graph names: ${bad.map((g) => JSON.stringify(g)).join(', ')}`, {
        problems: bad.map((g) => ({ path: 'graphs', message: `"${g}" is not a valid graph name` })),
      });
    }
    const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
    const info: ApiKeyInfo = {
      id: `key_${randomBytes(8).toString('hex')}`,
      name: label,
      graphs: graphs ? [...new Set(graphs)] : null,
      createdAt: nowIso(),
    };
    await this.deps.db
      .insertInto('api_keys')
      .values({
        id: info.id,
        name: info.name,
        key_hash: hashApiKey(key),
        graphs: info.graphs ? JSON.stringify(info.graphs) : null,
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
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      graphs: r.graphs ? (JSON.parse(r.graphs) as string[]) : null,
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

  /** Checks a key may invoke `graph`: 403 for an unknown key or one scoped to other graphs. */
  async authorize(key: string, graph: string): Promise<void> {
    let found = this.verified.get(key);
    if (!found) {
      const row = await this.deps.db
        .selectFrom('api_keys')
        .select(['id', 'graphs'])
        .where('key_hash', '=', hashApiKey(key))
        .executeTakeFirst();
      if (!row)
        throw new PlinthError('forbidden', 'the API key or token is not valid; create a key with POST /api/v1/keys');
      found = { id: row.id, graphs: row.graphs ? new Set(JSON.parse(row.graphs) as string[]) : null };
      this.verified.set(key, found);
    }
    if (found.graphs && !found.graphs.has(graph)) {
      throw new PlinthError('forbidden', `this API key may not call graph "${graph}"`, { graph, key: found.id });
    }
  }
}
