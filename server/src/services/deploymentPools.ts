import type { GraphDocument } from '@plinth/shared';
import type { DeploymentEvents } from '../events.ts';
import type { Runtime } from '../runtime/types.ts';
import { draftPoolKey, isPoolOf, versionPoolKey, type Log } from './context.ts';

/**
 * Keeps the runtime's worker pools in step with what is deployed: a version that goes live is
 * warmed before publishing answers (its first invoke spawns nothing); a graph that is deleted or
 * renamed, and draft revisions older than the one being tested, lose their workers.
 */
export function poolsFollowDeployments(events: DeploymentEvents, runtime: Runtime, log: Log): void {
  // A failing warm-up is not a failed publish: the first invoke reports the real error.
  const warm = async ({ name, version, graph }: { name: string; version: number; graph: GraphDocument }) => {
    try {
      await runtime.warm(versionPoolKey(name, version), graph);
    } catch (error) {
      log(`warming ${name} v${version} failed: ${(error as Error).message}`);
    }
  };
  // The live version's pools stay warm, out of the LRU's reach; a version that stops being live lets go.
  const goLive = async (event: { name: string; version: number; graph: GraphDocument }) => {
    const live = versionPoolKey(event.name, event.version);
    runtime.keepWarm((key) => key !== live && isPoolOf(event.name, key), false);
    await warm(event);
    runtime.keepWarm((key) => key === live, true);
  };
  events.on('versionPublished', (event) => (event.live ? goLive(event) : undefined));
  events.on('versionPromoted', goLive);
  events.on('graphDeleted', ({ name }) => runtime.retire((key) => isPoolOf(name, key)));
  events.on('graphRenamed', ({ from }) => runtime.retire((key) => isPoolOf(from, key)));
  events.on('draftTested', ({ name, revision }) => {
    const current = draftPoolKey(name, revision);
    return runtime.retire((key) => key !== current && isPoolOf(name, key, true));
  });
}
