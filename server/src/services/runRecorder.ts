import type { Json, NodeTrace, RunKind, RunRecord, RunTrace } from '@plinth/shared';
import type { Db } from '../db/database.ts';
import type { RunsTable } from '../db/schema.ts';
import type { Log } from './context.ts';
import { kyselyRowWriter, type RunRowWriter } from './runWriter.ts';

export interface RunRecorderOptions {
  /** Whether runs are recorded at all (`PLINTH_RUN_HISTORY`, on). Off: nothing is kept or queued. */
  enabled: boolean;
  /** Traces waiting to be written; beyond it they are dropped and counted (`PLINTH_RUN_QUEUE`). */
  maxQueue: number;
  /** Largest input or output kept per value, in bytes of JSON (`PLINTH_RUN_PAYLOAD_BYTES`). */
  maxPayloadBytes: number;
  /** Runs older than this are deleted (`PLINTH_RUN_RETENTION_DAYS`). */
  retentionDays: number;
  /** At most this many runs are kept, the oldest deleted first (`PLINTH_RUN_MAX_COUNT`). */
  maxCount: number;
  /** How often the queue is written, in ms. */
  flushMs?: number;
}

/** What a finished run hands the recorder. */
export interface FinishedRun {
  graphId: string;
  graph: string;
  version: number | null;
  kind: RunKind;
  startedAt: Date;
  input: Json;
  trace: RunTrace;
  /** The graph's `keepRunPayloads` switch. */
  keepPayloads: boolean;
}

const PRUNE_EVERY_MS = 10 * 60_000;

/**
 * Writes run history off the hot path: `record` turns the run into its row (a few strings, so the
 * run's objects are garbage at once instead of living on until the write) and queues it; a timer
 * writes batches. When the queue is full, traces are dropped and counted, and requests never wait
 * for the database.
 */
export class RunRecorder {
  private queue: RunsTable[] = [];
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  private lastPrune = 0;
  /** Traces dropped because the queue was full (for /metrics). */
  dropped = 0;
  written = 0;

  constructor(
    private readonly db: Db,
    private readonly options: RunRecorderOptions,
    private readonly log: Log,
    /** Where rows are inserted; SQLite's go through a thread of their own (see runWriter.ts). */
    private readonly writer: RunRowWriter = kyselyRowWriter(db),
  ) {}

  record(run: FinishedRun): void {
    if (!this.options.enabled) return;
    if (this.queue.length >= this.options.maxQueue) {
      this.dropped++;
      return;
    }
    try {
      this.queue.push(this.row(run));
    } catch (error) {
      this.dropped++;
      this.log(`run history: could not record run ${run.trace.runId}: ${(error as Error).message}`);
      return;
    }
    this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 100);
  }

  /** Writes whatever is queued; resolves once it is in the database. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: RunsTable[]): Promise<void> {
    try {
      if (batch.length > 0) {
        await this.writer.write(batch);
        this.written += batch.length;
      }
      if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) await this.prune();
    } catch (error) {
      this.dropped += batch.length;
      this.log(`run history: could not write ${batch.length} runs: ${(error as Error).message}`);
    }
  }

  /** Writes what is queued, then stops the writer (the server is stopping). */
  async close(): Promise<void> {
    await this.flush();
    await this.writer.close();
  }

  /** Deletes runs beyond the retention age and count. */
  async prune(): Promise<void> {
    this.lastPrune = Date.now();
    const cutoff = new Date(Date.now() - this.options.retentionDays * 86_400_000).toISOString();
    await this.db.deleteFrom('runs').where('started_at', '<', cutoff).execute();
    const boundary = await this.db
      .selectFrom('runs')
      .select('started_at')
      .orderBy('started_at', 'desc')
      .offset(this.options.maxCount)
      .limit(1)
      .executeTakeFirst();
    if (boundary) await this.db.deleteFrom('runs').where('started_at', '<=', boundary.started_at).execute();
  }

  private row(run: FinishedRun): RunsTable {
    const { record, json } = recordJson(run, run.keepPayloads ? this.options.maxPayloadBytes : 0);
    return {
      id: record.id,
      graph_id: run.graphId,
      graph: run.graph,
      version: run.version,
      kind: run.kind,
      status: record.status,
      error_code: record.error?.code ?? null,
      started_at: record.startedAt,
      duration_ms: record.durationMs,
      record: json,
    };
  }
}

/**
 * `toRecord` and its JSON, with one `JSON.stringify` in the common case: when the whole record,
 * every payload kept, is within `maxBytes`, so is each payload in it (each one's JSON is part of
 * the record's), and nothing is left out. Only a larger record is measured value by value.
 */
export function recordJson(run: FinishedRun, maxBytes: number): { record: RunRecord; json: string } {
  if (maxBytes > 0) {
    const record = fullRecord(run);
    const json = JSON.stringify(record);
    // UTF-8 takes at most three bytes per UTF-16 unit: a short enough string needs no byte count.
    if (json.length * 3 <= maxBytes || Buffer.byteLength(json) <= maxBytes) return { record, json };
  }
  const record = toRecord(run, maxBytes);
  return { record, json: JSON.stringify(record) };
}

/** The run's record with every payload kept (what `toRecord` gives when nothing is over the limit). */
function fullRecord(run: FinishedRun): RunRecord {
  const { trace } = run;
  return recordOf(run, run.input, trace.error ? undefined : trace.output, trace.nodes, []);
}

/** The record's fields around the payloads the caller chose to keep. */
function recordOf(
  run: FinishedRun,
  input: Json | undefined,
  output: Json | undefined,
  nodes: Record<string, NodeTrace>,
  omitted: string[],
): RunRecord {
  const { trace } = run;
  return {
    id: trace.runId,
    graph: run.graph,
    version: run.version,
    kind: run.kind,
    status: trace.error ? 'error' : 'ok',
    error: trace.error,
    startedAt: run.startedAt.toISOString(),
    durationMs: trace.durationMs,
    ...withValue('input', input),
    ...withValue('output', output),
    nodes,
    omitted,
  };
}

/** A run's trace as the history keeps it: each payload over `maxBytes` (0: all) left out and said so. */
export function toRecord(run: FinishedRun, maxBytes: number): RunRecord {
  const omitted: string[] = [];
  const keep = (path: string, value: Json | undefined): Json | undefined => {
    if (value === undefined) return undefined;
    if (maxBytes === 0) {
      omitted.push(`${path}: not kept (the graph's keepRunPayloads is false)`);
      return undefined;
    }
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes <= maxBytes) return value;
    omitted.push(`${path}: ${bytes} bytes, over the ${maxBytes}-byte limit (PLINTH_RUN_PAYLOAD_BYTES)`);
    return undefined;
  };
  const { trace } = run;
  const nodes: Record<string, NodeTrace> = {};
  for (const [id, node] of Object.entries(trace.nodes)) {
    if (node.status === 'ok') {
      const { input, output, ...rest } = node;
      nodes[id] = {
        ...rest,
        ...withValue('input', keep(`nodes.${id}.input`, input)),
        ...withValue('output', keep(`nodes.${id}.output`, output)),
      };
    } else if (node.status === 'error') {
      const { input, ...rest } = node;
      nodes[id] = { ...rest, ...withValue('input', keep(`nodes.${id}.input`, input)) };
    } else {
      nodes[id] = node;
    }
  }
  const input = keep('input', run.input);
  const output = trace.error ? undefined : keep('output', trace.output);
  return recordOf(run, input, output, nodes, omitted);
}

function withValue<K extends string>(key: K, value: Json | undefined): { [P in K]?: Json } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: Json };
}
