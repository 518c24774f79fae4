import { PlinthError, type GraphDocument } from '@plinth/shared';
import { sameBehaviour } from '@plinth/shared/graph';
import type { DeploymentEvents } from '../events.ts';
import { nowIso, type ServiceDeps } from './context.ts';
import { graphNotFound, loadDocument, requireValidDraft, versionNotFound } from './documents.ts';

export interface VersionSummary {
  version: number;
  createdAt: string;
  live: boolean;
  /** The model versions its model nodes call, pinned when it was published: {model name: version}. */
  models: Record<string, number>;
  /** What the person publishing it said changed; null when they said nothing. */
  note: string | null;
}

export interface VersionDetail {
  version: number;
  document: GraphDocument;
  createdAt: string;
  note: string | null;
}

/** Published versions: immutable snapshots of a draft, one of them live. */
export class VersionService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly events: DeploymentEvents,
  ) {}

  /**
   * Snapshots the draft as version n. The counter is bumped by an UPDATE, which locks the
   * graph's row, so concurrent publishes get distinct numbers in both SQLite and PostgreSQL.
   */
  async publish(name: string, promote = true, note?: string): Promise<{ version: number; live: boolean }> {
    const draft = await this.deps.db
      .selectFrom('graphs')
      .select(['id', 'document', 'live_version'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (!draft) throw graphNotFound(name);
    const document = requireValidDraft(loadDocument(draft.document), 'publish');
    await this.refuseUnchanged(name, draft.id, draft.live_version, document);
    // Requirements are installed before the version exists: one that cannot be had fails the publish.
    await this.deps.runtime.prepare(document);
    const published = await this.deps.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('graphs')
        .set((eb) => ({
          last_version: eb('last_version', '+', 1),
          ...(promote ? { live_version: eb('last_version', '+', 1) } : {}),
        }))
        .where('name', '=', name)
        .returning(['id', 'last_version', 'document'])
        .executeTakeFirst();
      if (!row) throw graphNotFound(name);
      // Checked again inside the transaction: a save in between may have left problems (this rolls back).
      const document = JSON.stringify(requireValidDraft(loadDocument(row.document), 'publish'));
      await trx
        .insertInto('versions')
        .values({
          graph_id: row.id,
          version: row.last_version,
          document,
          created_at: nowIso(),
          note: note?.trim() ? note.trim() : null,
        })
        .execute();
      return { version: row.last_version, document };
    });
    // Listeners warm the version's workers when it goes live, so its first invoke spawns nothing.
    await this.events.emit('versionPublished', {
      name,
      version: published.version,
      live: promote,
      graph: loadDocument(published.document),
    });
    return { version: published.version, live: promote };
  }

  async list(name: string): Promise<VersionSummary[]> {
    const graph = await this.deps.db
      .selectFrom('graphs')
      .select(['id', 'live_version'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (!graph) throw graphNotFound(name);
    const rows = await this.deps.db
      .selectFrom('versions')
      .select(['version', 'created_at', 'model_pins', 'note'])
      .where('graph_id', '=', graph.id)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({
      version: r.version,
      createdAt: r.created_at,
      live: r.version === graph.live_version,
      models: r.model_pins ? (JSON.parse(r.model_pins) as Record<string, number>) : {},
      note: r.note,
    }));
  }

  async get(name: string, version: number): Promise<VersionDetail> {
    const row = await this.deps.db
      .selectFrom('versions')
      .innerJoin('graphs', 'graphs.id', 'versions.graph_id')
      .select(['versions.version', 'versions.document', 'versions.created_at', 'versions.note'])
      .where('graphs.name', '=', name)
      .where('versions.version', '=', version)
      .executeTakeFirst();
    if (!row) throw (await this.exists(name)) ? versionNotFound(name, version) : graphNotFound(name);
    return {
      version: row.version,
      document: loadDocument(row.document),
      createdAt: row.created_at,
      note: row.note,
    };
  }

  /** Makes version n live; rolling back is promoting an older one. */
  async promote(name: string, version: number): Promise<{ version: number }> {
    const detail = await this.get(name, version);
    await this.deps.db.updateTable('graphs').set({ live_version: version }).where('name', '=', name).execute();
    await this.events.emit('versionPromoted', { name, version, graph: detail.document });
    return { version };
  }

  /** A draft that is the live version over again (positions aside) would only make a copy. */
  private async refuseUnchanged(
    name: string,
    graphId: string,
    live: number | null,
    draft: GraphDocument,
  ): Promise<void> {
    if (live === null) return;
    const row = await this.deps.db
      .selectFrom('versions')
      .select('document')
      .where('graph_id', '=', graphId)
      .where('version', '=', live)
      .executeTakeFirst();
    if (row && sameBehaviour(loadDocument(row.document), draft)) {
      throw new PlinthError('conflict', `nothing changed since v${live}: the draft is the live version of ${name}`, {
        reason: 'unchanged',
        version: live,
      });
    }
  }

  private async exists(name: string): Promise<boolean> {
    return !!(await this.deps.db.selectFrom('graphs').select('id').where('name', '=', name).executeTakeFirst());
  }
}
