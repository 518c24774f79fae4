import type { GraphDocument } from '@plinth/shared';
import type { Db } from '../../db/database.ts';
import type { DeploymentEvents } from '../../events.ts';

/** {model name: version} a published graph version calls. */
export type ModelPins = Record<string, number>;

/**
 * Which model version each published graph version calls: a model node with a version calls
 * that one, one without calls the version that was live when the graph version was published.
 * Written right after publishing (a `versionPublished` listener), read on the invoke path from memory.
 */
export class ModelPinsIndex {
  private readonly byGraphVersion = new Map<string, ModelPins>();

  constructor(
    private readonly db: Db,
    events: DeploymentEvents,
    private readonly liveVersionOf: (model: string) => Promise<number | null>,
  ) {
    events.on('versionPublished', ({ name, version, graph }) => this.pin(name, version, graph));
    events.on('graphRenamed', () => this.byGraphVersion.clear());
    events.on('graphDeleted', () => this.byGraphVersion.clear());
  }

  /** The model version a published graph version pinned, or undefined (a draft, or none pinned). */
  async pinned(graph: string, version: number | null, model: string): Promise<number | undefined> {
    if (version === null) return undefined;
    const key = `${graph}@${version}`;
    let pins = this.byGraphVersion.get(key);
    if (!pins) {
      const row = await this.db
        .selectFrom('versions')
        .innerJoin('graphs', 'graphs.id', 'versions.graph_id')
        .select('versions.model_pins')
        .where('graphs.name', '=', graph)
        .where('versions.version', '=', version)
        .executeTakeFirst();
      pins = row?.model_pins ? (JSON.parse(row.model_pins) as ModelPins) : {};
      this.byGraphVersion.set(key, pins);
    }
    return pins[model];
  }

  /** Every model version some published graph version pins (they stay warm). */
  async allPinned(): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('versions')
      .select('model_pins')
      .where('model_pins', 'is not', null)
      .execute();
    const keys = new Set<string>();
    for (const row of rows) {
      for (const [model, version] of Object.entries(JSON.parse(row.model_pins!) as ModelPins)) {
        keys.add(`${model}@v${version}`);
      }
    }
    return keys;
  }

  private async pin(name: string, version: number, graph: GraphDocument): Promise<void> {
    const pins: ModelPins = {};
    for (const node of graph.nodes) {
      if (node.type !== 'model' || node.model === '') continue;
      const pinned = node.modelVersion ?? (await this.liveVersionOf(node.model));
      if (pinned !== null) pins[node.model] = pinned;
    }
    if (Object.keys(pins).length === 0) return;
    const row = await this.db.selectFrom('graphs').select('id').where('name', '=', name).executeTakeFirst();
    if (!row) return;
    await this.db
      .updateTable('versions')
      .set({ model_pins: JSON.stringify(pins) })
      .where('graph_id', '=', row.id)
      .where('version', '=', version)
      .execute();
    this.byGraphVersion.set(`${name}@${version}`, pins);
  }
}
