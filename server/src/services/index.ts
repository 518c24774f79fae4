import type { DeploymentEvents } from '../events.ts';
import type { ServiceDeps } from './context.ts';
import { poolsFollowDeployments } from './deploymentPools.ts';
import { GraphService } from './graphService.ts';
import { InvokeCache } from './invokeCache.ts';
import { InvokeService } from './invokeService.ts';
import { KeyService } from './keyService.ts';
import { Metrics } from './metrics.ts';
import { RunRecorder, type RunRecorderOptions } from './runRecorder.ts';
import { SqliteThreadRowWriter } from './runWriter.ts';
import { RunService } from './runService.ts';
import type { SecretBox } from './secretBox.ts';
import { SecretService } from './secretService.ts';
import { StartLimiter, type StartLimits } from './startLimiter.ts';
import { VersionService } from './versionService.ts';

/** The domain logic, shared by the REST API, the tRPC router and every other door. */
export interface Services {
  graphs: GraphService;
  versions: VersionService;
  keys: KeyService;
  secrets: SecretService;
  invoke: InvokeService;
  runs: RunService;
  recorder: RunRecorder;
  metrics: Metrics;
}

export interface ServicesOptions extends ServiceDeps {
  events: DeploymentEvents;
  runHistory: RunRecorderOptions;
  /** Seals secret values at rest (see secretBox.ts). */
  secretBox: SecretBox;
  /** SQLite's database file: run history is then written by a thread of its own. */
  sqliteFile?: string;
  /** How often runs may start workers for cold pools. */
  startLimits: StartLimits;
}

/** Builds the services; each subscribes to the deployment events it cares about. */
export function createServices(options: ServicesOptions): Services {
  const { events, runtime, log } = options;
  const cache = new InvokeCache(options.db, events);
  const secrets = new SecretService(options, options.secretBox);
  const keys = new KeyService(options, (name) => cache.graphId(name));
  const graphs = new GraphService(options, events);
  const writer =
    options.sqliteFile !== undefined && options.runHistory.enabled
      ? new SqliteThreadRowWriter(options.sqliteFile, options.db, log)
      : undefined;
  const recorder = new RunRecorder(options.db, options.runHistory, log, writer);
  const metrics = new Metrics({
    runtime: () => runtime.stats(),
    sandboxed: runtime.sandbox === 'bwrap',
    runs: () => recorder,
  });
  poolsFollowDeployments(events, runtime, log);
  return {
    graphs,
    versions: new VersionService(options, events),
    keys,
    secrets,
    invoke: new InvokeService(
      options,
      cache,
      graphs,
      secrets,
      recorder,
      metrics,
      events,
      new StartLimiter(options.startLimits),
    ),
    runs: new RunService(options, recorder),
    recorder,
    metrics,
  };
}

export type { ServiceDeps, Log } from './context.ts';
