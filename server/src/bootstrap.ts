import type { Db } from './db/database.ts';
import type { Log, Services } from './services/index.ts';
import { sampleGraph } from './templates.ts';

const SAMPLE_CREATED = 'sample_graph_created';

/**
 * Creates the sample graph on the very first start. Remembered in `meta`, so a user
 * who deletes it does not see it come back.
 */
export async function ensureSampleGraph(db: Db, services: Services, log: Log): Promise<void> {
  const done = await db.selectFrom('meta').select('value').where('key', '=', SAMPLE_CREATED).executeTakeFirst();
  if (done) return;
  const any = await db.selectFrom('graphs').select('id').limit(1).executeTakeFirst();
  if (!any) {
    await services.graphs.create(sampleGraph());
    log('created the sample graph "payment-scoring"');
  }
  await db.insertInto('meta').values({ key: SAMPLE_CREATED, value: new Date().toISOString() }).execute();
}
