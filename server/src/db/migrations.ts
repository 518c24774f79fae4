import type { Kysely, Migration, MigrationProvider } from 'kysely';
import type { Database } from './schema.ts';

// Migrations live in code so a single `node` process carries everything it needs.
// Column types are the portable subset of SQLite and PostgreSQL.
const MIGRATIONS: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('graphs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('live_version', 'integer')
        .addColumn('last_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('versions')
        .addColumn('graph_id', 'text', (c) => c.notNull().references('graphs.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('versions_pk', ['graph_id', 'version'])
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('graphs', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('secrets')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('meta')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['versions', 'graphs', 'api_keys', 'secrets', 'meta']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  },
  '0002_runs': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('graph_id', 'text', (c) => c.notNull())
        .addColumn('graph', 'text', (c) => c.notNull())
        .addColumn('version', 'integer')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error_code', 'text')
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('duration_ms', 'real', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('runs_by_graph').on('runs').columns(['graph_id', 'started_at']).execute();
      await db.schema.createIndex('runs_by_time').on('runs').columns(['started_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('runs').ifExists().execute();
    },
  },
  '0003_key_scopes_by_id': {
    // Scopes named graphs; now they hold graph ids, so a deleted graph's key never reaches a new
    // graph of the same name. A name that matches no graph becomes nothing (the key allows less, never more).
    async up(db: Kysely<unknown>) {
      const typed = db as unknown as Kysely<Database>;
      const graphs = await typed.selectFrom('graphs').select(['id', 'name']).execute();
      const idOf = new Map(graphs.map((g) => [g.name, g.id]));
      const keys = await typed
        .selectFrom('api_keys')
        .select(['id', 'graphs'])
        .where('graphs', 'is not', null)
        .execute();
      for (const key of keys) {
        const ids = (JSON.parse(key.graphs!) as string[]).flatMap((name) => idOf.get(name) ?? []);
        await typed
          .updateTable('api_keys')
          .set({ graphs: JSON.stringify(ids) })
          .where('id', '=', key.id)
          .execute();
      }
    },
    async down() {},
  },
  '0004_models': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('models')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('live_version', 'integer')
        .addColumn('last_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('model_versions')
        .addColumn('model_id', 'text', (c) => c.notNull().references('models.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('build_log', 'text', (c) => c.notNull())
        .addColumn('load_log', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('promote', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_versions_pk', ['model_id', 'version'])
        .execute();
      // The model versions a published graph version calls: {model name: version}.
      await db.schema.alterTable('versions').addColumn('model_pins', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('versions').dropColumn('model_pins').execute();
      await db.schema.dropTable('model_versions').ifExists().execute();
      await db.schema.dropTable('models').ifExists().execute();
    },
  },
  '0005_version_notes': {
    async up(db: Kysely<unknown>) {
      // What the person publishing said about the version (the IDE asks; the API takes `note`).
      await db.schema.alterTable('versions').addColumn('note', 'text').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('versions').dropColumn('note').execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
