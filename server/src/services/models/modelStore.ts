import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PlinthError, type LogEntry, type ModelConfig, type ModelStatus } from '@plinth/shared';
import type { Db } from '../../db/database.ts';
import type { ModelVersionsTable } from '../../db/schema.ts';
import { nowIso } from '../context.ts';

/** One version of a model as the API shows it. */
export interface ModelVersionInfo {
  version: number;
  status: ModelStatus;
  live: boolean;
  createdAt: string;
  updatedAt: string;
  config: ModelConfig;
  /** What the build did (requirements, GPU, loading), one line per step. */
  buildLog: string[];
  /** What importing model.py and `load()` printed. */
  loadLog: LogEntry[];
  /** Why it failed, with load()'s traceback when it raised. */
  error: { message: string; traceback?: string } | null;
}

export interface ModelRow {
  id: string;
  name: string;
  live_version: number | null;
  last_version: number;
}

/**
 * Where packages live: `<data dir>/models/<model id>/v<n>`. Workers reach theirs through a
 * directory fd (see ModelRuntime), so the data dir stays 0700; the files are world-readable.
 */
export function modelsRoot(dataDir: string): string {
  const root = path.join(dataDir, 'models');
  mkdirSync(path.join(root, '.incoming'), { recursive: true, mode: 0o755 });
  return root;
}

export const packageDir = (root: string, modelId: string, version: number): string =>
  path.join(root, modelId, `v${version}`);

export function modelNotFound(name: string): PlinthError {
  return new PlinthError('not_found', `there is no model "${name}"; deploy one with POST /api/v1/models`, {
    model: name,
  });
}

/** Reading and writing the models tables. */
export class ModelStore {
  /** Live versions by model name, as last read or set (only this server changes them). */
  private readonly live = new Map<string, number | null>();

  constructor(private readonly db: Db) {}

  /** The live version as last seen, without a query; undefined when not known yet. */
  cachedLive(name: string): number | null | undefined {
    return this.live.get(name);
  }

  async model(name: string): Promise<ModelRow> {
    const row = await this.db
      .selectFrom('models')
      .select(['id', 'name', 'live_version', 'last_version'])
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw modelNotFound(name);
    this.live.set(name, row.live_version);
    return row;
  }

  async models(): Promise<ModelRow[]> {
    return this.db
      .selectFrom('models')
      .select(['id', 'name', 'live_version', 'last_version'])
      .orderBy('name')
      .execute();
  }

  async versions(modelId: string): Promise<ModelVersionsTable[]> {
    return this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', modelId)
      .orderBy('version')
      .execute();
  }

  async version(model: ModelRow, version: number): Promise<ModelVersionsTable> {
    const row = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', model.id)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) {
      throw new PlinthError('not_found', `model "${model.name}" has no version ${version}`, {
        model: model.name,
        version,
      });
    }
    return row;
  }

  /** Versions in a state a stopped server left unfinished, or that should be serving. */
  async unfinishedOrServing(): Promise<(ModelVersionsTable & { name: string; live_version: number | null })[]> {
    return this.db
      .selectFrom('model_versions')
      .innerJoin('models', 'models.id', 'model_versions.model_id')
      .selectAll('model_versions')
      .select(['models.name', 'models.live_version'])
      .execute();
  }

  /** A new version number under the model's row lock (creating the model), status `building`. */
  async addVersion(id: string, name: string, config: ModelConfig, promote: boolean): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const now = nowIso();
      await trx
        .insertInto('models')
        .values({ id, name, live_version: null, created_at: now })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const row = await trx
        .updateTable('models')
        .set((eb) => ({ last_version: eb('last_version', '+', 1) }))
        .where('name', '=', name)
        .returning(['id', 'last_version'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('model_versions')
        .values({
          model_id: row.id,
          version: row.last_version,
          status: 'building',
          config: JSON.stringify(config),
          build_log: '',
          load_log: '[]',
          error: null,
          promote: promote ? 1 : 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      return row.last_version;
    });
  }

  async setStatus(
    modelId: string,
    version: number,
    status: ModelStatus,
    details: { buildLog?: string[]; loadLog?: LogEntry[]; error?: ModelVersionInfo['error'] } = {},
  ): Promise<void> {
    await this.db
      .updateTable('model_versions')
      .set({
        status,
        updated_at: nowIso(),
        ...(details.buildLog ? { build_log: details.buildLog.join('\n') } : {}),
        ...(details.loadLog ? { load_log: JSON.stringify(details.loadLog) } : {}),
        ...(details.error !== undefined ? { error: details.error ? JSON.stringify(details.error) : null } : {}),
      })
      .where('model_id', '=', modelId)
      .where('version', '=', version)
      .execute();
  }

  async setLive(model: ModelRow, version: number): Promise<void> {
    await this.db.updateTable('models').set({ live_version: version }).where('id', '=', model.id).execute();
    this.live.set(model.name, version);
  }
}

export function versionInfo(row: ModelVersionsTable, liveVersion: number | null): ModelVersionInfo {
  return {
    version: row.version,
    status: row.status as ModelStatus,
    live: row.version === liveVersion,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    config: JSON.parse(row.config) as ModelConfig,
    buildLog: row.build_log === '' ? [] : row.build_log.split('\n'),
    loadLog: JSON.parse(row.load_log) as LogEntry[],
    error: row.error ? (JSON.parse(row.error) as ModelVersionInfo['error']) : null,
  };
}
