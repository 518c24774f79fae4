import { PlinthError } from '@plinth/shared';
import { nowIso, type ServiceDeps } from './context.ts';

/** Secret names are what node code writes in `ctx.secrets["NAME"]`. */
export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** Write-only values for `ctx.secrets`: listed by name, never read back over the API. */
export class SecretService {
  private cached: Record<string, string> | null = null;

  constructor(private readonly deps: ServiceDeps) {}

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
    const now = nowIso();
    const created = await this.deps.db.transaction().execute(async (trx) => {
      const existing = await trx.selectFrom('secrets').select('name').where('name', '=', name).executeTakeFirst();
      if (existing) {
        await trx.updateTable('secrets').set({ value, updated_at: now }).where('name', '=', name).execute();
        return false;
      }
      await trx.insertInto('secrets').values({ name, value, created_at: now, updated_at: now }).execute();
      return true;
    });
    this.cached = null;
    return { name, created };
  }

  async delete(name: string): Promise<void> {
    const result = await this.deps.db.deleteFrom('secrets').where('name', '=', name).executeTakeFirst();
    this.cached = null;
    if (result.numDeletedRows === 0n)
      throw new PlinthError('not_found', `there is no secret named "${name}"`, { secret: name });
  }

  /** Every secret, for a run's `ctx.secrets`; cached so an invoke touches no database. */
  async values(): Promise<Record<string, string>> {
    if (this.cached) return this.cached;
    const rows = await this.deps.db.selectFrom('secrets').select(['name', 'value']).execute();
    const values = Object.freeze(Object.fromEntries(rows.map((r) => [r.name, r.value])));
    this.cached = values;
    return values;
  }
}
