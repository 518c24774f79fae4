import { readdirSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { create } from 'tar';
import type { Db } from './db/database.ts';
import type { Log } from './services/index.ts';
import type { ModelService } from './services/models/modelService.ts';

export const ZOO_DIR = fileURLToPath(new URL('../../sandbox-images/zoo/', import.meta.url));
const ZOO_DEPLOYED = 'model_zoo_deployed';

/** The zoo's packages (folders with a config.yaml), by name. */
export function zooPackages(): string[] {
  return readdirSync(ZOO_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** A folder as a gzipped tar stream, paths relative to it: what `plinth deploy` uploads too. */
export function tarFolder(dir: string): Readable {
  return create({ gzip: true, cwd: dir, portable: true }, ['.']) as unknown as Readable;
}

/** Deploys one zoo package as a new version of its model. */
export function deployZooModel(models: ModelService, name: string): Promise<{ name: string; version: number }> {
  return models.upload(tarFolder(path.join(ZOO_DIR, name)), { name });
}

async function untilSettled(models: ModelService, name: string, version: number): Promise<string> {
  for (;;) {
    const info = await models.getVersion(name, version);
    if (info.status === 'ready') return 'ready';
    if (info.status === 'failed') return `failed: ${info.error?.message ?? 'see its log'}`;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Deploys the zoo on the very first start (remembered in `meta`): each package uploads as any
 * other and builds in the background, in sandboxed workers; the server answers meanwhile.
 */
export async function ensureModelZoo(db: Db, models: ModelService, log: Log, enabled: boolean): Promise<void> {
  try {
    const done = await db.selectFrom('meta').select('value').where('key', '=', ZOO_DEPLOYED).executeTakeFirst();
    if (done || !enabled) return;
    await db.insertInto('meta').values({ key: ZOO_DEPLOYED, value: new Date().toISOString() }).execute();
    // One at a time: each loads its libraries in a fresh worker, and the server keeps answering meanwhile.
    for (const name of zooPackages()) {
      const { version } = await deployZooModel(models, name);
      log(`deploying the zoo model "${name}" v${version} in the background`);
      const settled = await untilSettled(models, name, version);
      log(`zoo model "${name}" v${version}: ${settled}`);
    }
  } catch (error) {
    log(`deploying the model zoo: ${(error as Error).message}`);
  }
}
