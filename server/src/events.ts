import type { GraphDocument } from '@plinth/shared';

/** What happened to what is deployed; parts of the server react instead of calling each other. */
export interface DeploymentEventMap {
  /** A graph name now exists (a caller may have cached "no such graph"). */
  graphCreated: { name: string };
  /** A draft was saved under another name; its versions and key scopes moved with it. */
  graphRenamed: { from: string; to: string };
  graphDeleted: { name: string };
  /** A draft run is about to use a new revision; older revisions' workers can go. */
  draftTested: { name: string; revision: number };
  versionPublished: { name: string; version: number; live: boolean; graph: GraphDocument };
  versionPromoted: { name: string; version: number; graph: GraphDocument };
}

export type DeploymentEvent = keyof DeploymentEventMap;
type Listener<E extends DeploymentEvent> = (payload: DeploymentEventMap[E]) => void | Promise<void>;

/**
 * A typed event bus for deployment events. `emit` waits for every listener (publishing returns
 * once the new version's workers are warm); a listener's failure is logged, never thrown at the
 * emitter, whose own change has already happened.
 */
export class DeploymentEvents {
  private readonly listeners = new Map<DeploymentEvent, Listener<never>[]>();

  constructor(private readonly log: (message: string) => void) {}

  on<E extends DeploymentEvent>(event: E, listener: Listener<E>): () => void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
    return () => {
      const at = list.indexOf(listener);
      if (at >= 0) list.splice(at, 1);
    };
  }

  async emit<E extends DeploymentEvent>(event: E, payload: DeploymentEventMap[E]): Promise<void> {
    const list = [...(this.listeners.get(event) ?? [])] as Listener<E>[];
    const results = await Promise.allSettled(list.map(async (listener) => listener(payload)));
    for (const result of results) {
      if (result.status === 'rejected') {
        const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
        this.log(`after ${event} ${JSON.stringify(payload, omitGraph)}: ${reason}`);
      }
    }
  }
}

/** Leaves whole documents out of log lines. */
function omitGraph(key: string, value: unknown): unknown {
  return key === 'graph' ? undefined : value;
}
