import { PlinthError, type RunQuery, type RunRecord, type RunSummary } from '@plinth/shared';
import type { ServiceDeps } from './context.ts';
import { graphNotFound } from './documents.ts';
import type { RunRecorder } from './runRecorder.ts';

/** Run history: every invoke, test and trigger run, newest first. */
export class RunService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly recorder: RunRecorder,
  ) {}

  async list(query: RunQuery): Promise<{ runs: RunSummary[]; next: string | null }> {
    await this.recorder.flush(); // what this caller just ran is in the list
    let select = this.deps.db
      .selectFrom('runs')
      .select(['id', 'graph', 'version', 'kind', 'status', 'error_code', 'started_at', 'duration_ms'])
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (query.graph !== undefined) {
      const graph = await this.deps.db
        .selectFrom('graphs')
        .select('id')
        .where('name', '=', query.graph)
        .executeTakeFirst();
      if (!graph) throw graphNotFound(query.graph);
      select = select.where('graph_id', '=', graph.id);
    }
    if (query.version !== undefined) select = select.where('version', '=', query.version);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
    if (query.before !== undefined) {
      const cursor = await this.deps.db
        .selectFrom('runs')
        .select(['started_at', 'id'])
        .where('id', '=', query.before)
        .executeTakeFirst();
      if (!cursor) throw runNotFound(query.before);
      select = select.where((eb) =>
        eb.or([
          eb('started_at', '<', cursor.started_at),
          eb.and([eb('started_at', '=', cursor.started_at), eb('id', '<', cursor.id)]),
        ]),
      );
    }
    const rows = await select.execute();
    const page = rows.slice(0, query.limit);
    return {
      runs: page.map((r) => ({
        id: r.id,
        graph: r.graph,
        version: r.version,
        kind: r.kind as RunSummary['kind'],
        status: r.status as RunSummary['status'],
        errorCode: r.error_code,
        startedAt: r.started_at,
        durationMs: r.duration_ms,
      })),
      next: rows.length > query.limit ? page[page.length - 1]!.id : null,
    };
  }

  async get(id: string): Promise<RunRecord> {
    await this.recorder.flush();
    const row = await this.deps.db.selectFrom('runs').select('record').where('id', '=', id).executeTakeFirst();
    if (!row) throw runNotFound(id);
    return JSON.parse(row.record) as RunRecord;
  }
}

function runNotFound(id: string): PlinthError {
  return new PlinthError(
    'not_found',
    `there is no run with id "${id}" (runs are kept for a while, see PLINTH_RUN_RETENTION_DAYS)`,
    { run: id },
  );
}
