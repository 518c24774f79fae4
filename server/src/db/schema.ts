import type { Generated } from 'kysely';

/** Table types as Kysely sees them. Documents are JSON text; timestamps ISO-8601 text. */
export interface GraphsTable {
  id: string;
  name: string;
  /** The draft document, normalised by `validateGraph`. */
  document: string;
  /** Bumped on every save of the draft; `If-Match` compares against it. */
  revision: number;
  /** The version invoke serves, or null before the first publish. */
  live_version: number | null;
  /** The highest version number handed out; bumped under a row lock when publishing. */
  last_version: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface VersionsTable {
  graph_id: string;
  version: number;
  document: string;
  created_at: string;
  /** JSON {model name: version} of the model versions this graph version calls, set when published. */
  model_pins: string | null;
  /** The release note given when it was published, or null. */
  note: string | null;
}

export interface ModelsTable {
  id: string;
  name: string;
  /** The version predict serves (and model nodes without a version call), null before one is ready. */
  live_version: number | null;
  last_version: Generated<number>;
  created_at: string;
}

/** One uploaded version of a model; its package lives under `<data dir>/models/<model id>/v<version>`. */
export interface ModelVersionsTable {
  model_id: string;
  version: number;
  /** building → loading → ready | failed */
  status: string;
  /** The normalised config (ModelConfig) as JSON. */
  config: string;
  /** What the build did, one line per step. */
  build_log: string;
  /** JSON LogEntry[]: what importing model.py and load() printed. */
  load_log: string;
  /** JSON {message, traceback?} when failed. */
  error: string | null;
  /** 1: go live once ready. */
  promote: number;
  created_at: string;
  updated_at: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  /** Hex sha256 of the key; the key itself is never stored. */
  key_hash: string;
  /** JSON array of the ids of the graphs the key may invoke, or null for every graph. */
  graphs: string | null;
  created_at: string;
}

export interface SecretsTable {
  name: string;
  value: string;
  created_at: string;
  updated_at: string;
}

/** Small facts the server remembers, e.g. that the sample graph was created once. */
export interface MetaTable {
  key: string;
  value: string;
}

/** One recorded run (see services/runRecorder.ts); `record` is the whole RunRecord as JSON. */
export interface RunsTable {
  id: string;
  /** The graph's id: a renamed graph keeps its history. */
  graph_id: string;
  /** The graph's name when it ran. */
  graph: string;
  /** Null for a draft test run. */
  version: number | null;
  kind: string;
  status: string;
  error_code: string | null;
  started_at: string;
  duration_ms: number;
  record: string;
}

export interface Database {
  graphs: GraphsTable;
  versions: VersionsTable;
  api_keys: ApiKeysTable;
  secrets: SecretsTable;
  meta: MetaTable;
  runs: RunsTable;
  models: ModelsTable;
  model_versions: ModelVersionsTable;
}
