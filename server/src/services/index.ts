import type { ServiceDeps } from './context.ts';
import { GraphService } from './graphService.ts';
import { InvokeCache } from './invokeCache.ts';
import { InvokeService } from './invokeService.ts';
import { KeyService } from './keyService.ts';
import { Metrics } from './metrics.ts';
import { SecretService } from './secretService.ts';
import { VersionService } from './versionService.ts';

/** The domain logic, shared by the REST API and the tRPC router. */
export interface Services {
  graphs: GraphService;
  versions: VersionService;
  keys: KeyService;
  secrets: SecretService;
  invoke: InvokeService;
  metrics: Metrics;
}

export function createServices(deps: ServiceDeps): Services {
  const cache = new InvokeCache(deps.db);
  const secrets = new SecretService(deps);
  const keys = new KeyService(deps);
  return {
    graphs: new GraphService(deps, cache, secrets, keys),
    versions: new VersionService(deps, cache),
    keys,
    secrets,
    invoke: new InvokeService(deps, cache, secrets),
    metrics: new Metrics(),
  };
}

export type { ServiceDeps, Log } from './context.ts';
