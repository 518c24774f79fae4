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
  events.on('versionPublished', (event) => (event.live ? warm(event) : undefined));
  events.on('versionPromoted', warm);
  events.on('graphDeleted', ({ name }) => runtime.retire((key) => isPoolOf(name, key)));
  events.on('graphRenamed', ({ from }) => runtime.retire((key) => isPoolOf(from, key)));
  events.on('draftTested', ({ name, revision }) => {
    const current = draftPoolKey(name, revision);
    return runtime.retire((key) => key !== current && isPoolOf(name, key, true));
  });
}
