import { MIN_SECRET_LENGTH, PlinthError, SECRET_NAME_PATTERN } from '@plinth/shared';
import { ConfigError } from '../settings.ts';
import { nowIso, type ServiceDeps } from './context.ts';
import { SecretBox } from './secretBox.ts';

/** Write-only values for `ctx.secrets`: listed by name, never read back over the API, sealed at rest. */
export class SecretService {
  private cached: Promise<ReadonlyMap<string, string>> | null = null;

  constructor(
    private readonly deps: ServiceDeps,
    private readonly box: SecretBox,
  ) {}

  /**
   * Run once at start: seals values stored in plaintext by an older Plinth, and checks the key opens
   * the sealed ones (a wrong PLINTH_SECRET_KEY is said at start, not at the first run that needs it).
   */
  async checkStored(): Promise<void> {
    const rows = await this.deps.db.selectFrom('secrets').select(['name', 'value']).execute();
    const sealed = rows.find((r) => SecretBox.isSealed(r.value));
    if (sealed) {
      try {
        this.box.open(sealed.value);
      } catch {
        throw new ConfigError(
          `the secrets in the database were sealed with another key than this one (PLINTH_SECRET_KEY or <data dir>/secret-key); ` +
            `start with the key they were sealed with, or delete and set the secrets again`,
        );
      }
    }
    const plain = rows.filter((r) => !SecretBox.isSealed(r.value));
    for (const row of plain) {
      await this.deps.db
        .updateTable('secrets')
        .set({ value: this.box.seal(row.value) })
        .where('name', '=', row.name)
        .execute();
    }
    if (plain.length > 0) await this.forgetOldValues();
  }

  async list(): Promise<{ name: string; createdAt: string; updatedAt: string }[]> {
    const rows = await this.deps.db
      .selectFrom('secrets')
      .select(['name', 'created_at', 'updated_at'])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({ name: r.name, createdAt: r.created_at, updatedAt: r.updated_at }));
  }

  async set(name: string, value: string): Promise<{ name: string; created: boolean }> {
    if (!SECRET_NAME_PATTERN.test(name)) {
      throw new PlinthError('bad_request', `secret name "${name}" must match ${SECRET_NAME_PATTERN.source}`, {
        secret: name,
      });
    }
    if (value.length < MIN_SECRET_LENGTH) {
      throw new PlinthError(
        'bad_request',
        `secret "${name}" must be at least ${MIN_SECRET_LENGTH} characters: shorter values cannot be masked in logs and tracebacks`,
        { secret: name, problems: [{ path: 'value', message: `at least ${MIN_SECRET_LENGTH} characters` }] },
      );
    }
    const sealed = this.box.seal(value);
    const now = nowIso();
    const created = await this.deps.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('secrets').select('name').where('name', '=', name).executeTakeFirst();
      if (existing) {
        await trx.updateTable('secrets').set({ value: sealed, updated_at: now }).where('name', '=', name).execute();
        return false;
      }
      await trx.insertInto('secrets').values({ name, value: sealed, created_at: now, updated_at: now }).execute();
      return true;
    });
    this.cached = null;
    if (!created) await this.forgetOldValues();
    return { name, created };
  }

  async delete(name: string): Promise<void> {
    const result = await this.deps.db.deleteFrom('secrets').where('name', '=', name).executeTakeFirst();
    this.cached = null;
    if (result.numDeletedRows === 0n)
      throw new PlinthError('not_found', `there is no secret named "${name}"`, { secret: name });
    await this.forgetOldValues();
  }

  /**
   * The values of the secrets a graph declares, for its runs' `ctx.secrets` (and no others);
   * cached so an invoke touches no database.
   */
  async valuesFor(names: readonly string[]): Promise<Readonly<Record<string, string>>> {
    if (names.length === 0) return NONE;
    const all = await this.all();
    const values: Record<string, string> = {};
    for (const name of names) {
      const value = all.get(name);
      if (value !== undefined) values[name] = value;
    }
    return values;
  }

  private all(): Promise<ReadonlyMap<string, string>> {
    this.cached ??= this.deps.db
      .selectFrom('secrets')
      .select(['name', 'value'])
      .execute()
      .then((rows) => new Map(rows.map((r) => [r.name, this.box.open(r.value)])));
    return this.cached;
  }

  /**
   * A replaced or deleted value must not be recoverable from the database files: SQLite runs with
   * `secure_delete` (freed space is zeroed), and its write-ahead log, which still holds the old
   * page, is checkpointed and truncated now.
   */
  private async forgetOldValues(): Promise<void> {
    if (this.deps.dialect !== 'sqlite') return;
    await sqliteCheckpoint(this.deps);
  }
}

const NONE: Readonly<Record<string, string>> = Object.freeze({});

async function sqliteCheckpoint(deps: ServiceDeps): Promise<void> {
  const { sql } = await import('kysely');
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(deps.db);
}
