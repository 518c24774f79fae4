import { randomUUID } from 'node:crypto';
import { PlinthError, type GraphDocument } from '@plinth/shared';
import { isUniqueViolation } from '../db/database.ts';
import type { DeploymentEvents } from '../events.ts';
import { nowIso, type ServiceDeps } from './context.ts';
import { graphNotFound, loadDocument, parseDocument, parseDraft } from './documents.ts';

export interface GraphSummary {
  name: string;
  description: string;
  revision: number;
  updatedAt: string;
  liveVersion: number | null;
  versionCount: number;
}

export interface GraphDraft {
  /** Stable across renames; run history and key scopes refer to it. */
  id: string;
  name: string;
  document: GraphDocument;
  revision: number;
  createdAt: string;
  updatedAt: string;
  liveVersion: number | null;
}

function nameTaken(name: string): PlinthError {
  return new PlinthError('conflict', `a graph named "${name}" already exists; choose another name`, { graph: name });
}

/** The drafts: create, read, save with revisions, rename, delete. */
export class GraphService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly events: DeploymentEvents,
  ) {}

  async list(): Promise<GraphSummary[]> {
    const rows = await this.deps.db.selectFrom('graphs').selectAll().orderBy('name').execute();
    return rows.map((row) => ({
      name: row.name,
      description: loadDocument(row.document).description ?? '',
      revision: row.revision,
      updatedAt: row.updated_at,
      liveVersion: row.live_version,
      // Versions are never deleted one by one, so the counter is the count.
      versionCount: row.last_version,
    }));
  }

  async get(name: string): Promise<GraphDraft> {
    const row = await this.deps.db.selectFrom('graphs').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw graphNotFound(name);
    return {
      id: row.id,
      name: row.name,
      document: loadDocument(row.document),
      revision: row.revision,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      liveVersion: row.live_version,
    };
  }

  async create(doc: unknown): Promise<{ name: string; revision: number }> {
    const graph = parseDocument(doc);
    const now = nowIso();
    try {
      await this.deps.db
        .insertInto('graphs')
        .values({
          id: randomUUID(),
          name: graph.name,
          document: JSON.stringify(graph),
          revision: 1,
          live_version: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(graph.name);
      throw error;
    }
    await this.events.emit('graphCreated', { name: graph.name });
    return { name: graph.name, revision: 1 };
  }

  /**
   * Replaces the draft, problems and all (see `parseDraft`). With `expectedRevision`, refuses (412) when someone saved in
   * between. A different `name` in the document renames the graph (409 when taken).
   */
  async update(name: string, doc: unknown, expectedRevision?: number): Promise<{ name: string; revision: number }> {
    // A draft may be unfinished (a cycle, a missing edge): it is kept as it is.
    const graph = parseDraft(doc);
    const renamed = graph.name !== name;
    const revision = await this.deps.db
      .transaction()
      .execute(async (trx) => {
        const row = await trx
          .selectFrom('graphs')
          .select(['id', 'revision'])
          .where('name', '=', name)
          .executeTakeFirst();
        if (!row) throw graphNotFound(name);
        if (expectedRevision !== undefined && expectedRevision !== row.revision)
          throw staleRevision(name, expectedRevision, row.revision);
        if (renamed) {
          const taken = await trx.selectFrom('graphs').select('id').where('name', '=', graph.name).executeTakeFirst();
          if (taken) throw nameTaken(graph.name);
        }
        const result = await trx
          .updateTable('graphs')
          .set({ name: graph.name, document: JSON.stringify(graph), revision: row.revision + 1, updated_at: nowIso() })
          .where('id', '=', row.id)
          .where('revision', '=', row.revision)
          .executeTakeFirst();
        // Another writer got in between our read and write (PostgreSQL read committed).
        if (result.numUpdatedRows === 0n) throw staleRevision(name, expectedRevision ?? row.revision, row.revision + 1);
        return row.revision + 1;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw nameTaken(graph.name);
        throw error;
      });
    if (renamed) await this.events.emit('graphRenamed', { from: name, to: graph.name });
    return { name: graph.name, revision };
  }

  async delete(name: string): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const found = await trx.selectFrom('graphs').select('id').where('name', '=', name).executeTakeFirst();
      if (!found) throw graphNotFound(name);
      await trx.deleteFrom('versions').where('graph_id', '=', found.id).execute();
      await trx.deleteFrom('graphs').where('id', '=', found.id).execute();
    });
    await this.events.emit('graphDeleted', { name });
  }

  async duplicate(name: string, newName: string): Promise<{ name: string; revision: number }> {
    const { document } = await this.get(name);
    return this.create({ ...document, name: newName });
  }
}

function staleRevision(name: string, expected: number, current: number): PlinthError {
  return new PlinthError(
    'revision_mismatch',
    `graph "${name}" was saved by someone else in between: you sent revision ${expected}, the server has ${current}; reload it and apply your change again`,
    { graph: name, expectedRevision: expected, currentRevision: current },
  );
}
