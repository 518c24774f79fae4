import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { isCodeNode, normaliseRequirements, PlinthError, type GraphDocument } from '@plinth/shared';
import type { RuntimeOptions } from '../runtime/process/runtimeOptions.ts';
import { buildEnvironment, METADATA_FILE, PipFailure, sitePackagesOf } from './buildEnvironment.ts';
import { requirementsError, type FailedList } from './requirementsError.ts';
import type { PipSettings } from './pipSettings.ts';
import { environmentKey } from './requirementsKey.ts';
import { makeReachableByWorkers } from './workerAccess.ts';

/** A finished virtualenv; paths are on the host. */
export interface PythonEnvironment {
  /** sha256 of the normalised requirements, the interpreter version and the pip settings. */
  key: string;
  root: string;
  sitePackages: string;
}

export interface PythonEnvironmentsOptions extends Partial<PipSettings> {
  /** `PLINTH_DATA_DIR`: venvs are kept in `<dataDir>/venvs/<key>/`. */
  dataDir: string;
  /** The sandbox builds run in (bwrap, rlimits, the user), as for workers. */
  runtime: RuntimeOptions;
  /** The interpreter venvs are made from; the runtime's (`PLINTH_PYTHON`) unless given. */
  python?: string;
  log?: (message: string) => void;
}

/**
 * The virtualenvs of nodes' `requirements`, one per distinct list, built once and cached on disk.
 * A venv is built in a temporary directory and renamed into place when complete, so a crash
 * mid-build never leaves one that looks ready. A failed build is not remembered: the next
 * call tries again.
 */
export class PythonEnvironments {
  readonly venvsDir: string;
  private readonly python: string;
  private readonly pip: PipSettings;
  private readonly building = new Map<string, Promise<PythonEnvironment>>();
  private readonly ready = new Map<string, PythonEnvironment>();
  private pythonVersion: Promise<string> | null = null;
  private prepared = false;
  private buildCount = 0;

  constructor(private readonly options: PythonEnvironmentsOptions) {
    this.venvsDir = path.join(options.dataDir, 'venvs');
    this.python = options.python ?? options.runtime.python;
    this.pip = {
      indexUrl: options.indexUrl ?? null,
      pipArgs: options.pipArgs ?? [],
      timeoutMs: options.timeoutMs ?? 300_000,
    };
  }

  /** How many builds this instance started (a cache hit starts none). */
  get builds(): number {
    return this.buildCount;
  }

  /**
   * The venv for a requirements list; null for no requirements. Concurrent callers share one
   * build. A failure is `requirements_failed` naming the requirement and quoting pip.
   */
  async ensure(requirements: readonly string[]): Promise<PythonEnvironment | null> {
    const list = normaliseRequirements(requirements);
    if (list.length === 0) return null;
    const key = environmentKey({
      requirements: list,
      pythonVersion: await this.interpreterVersion(),
      indexUrl: this.pip.indexUrl,
      pipArgs: this.pip.pipArgs,
    });
    const known = this.ready.get(key) ?? this.fromDisk(key);
    if (known) return known;
    let build = this.building.get(key);
    if (!build) {
      build = this.build(key, list).finally(() => this.building.delete(key));
      this.building.set(key, build);
    }
    return build.catch((failure: unknown) => {
      if (!(failure instanceof PipFailure)) throw failure;
      throw requirementsError([{ requirements: list, nodes: [], failure }], this.pip);
    });
  }

  /** A venv built before, by its key (as in `/environments/{key}/...`), or null. */
  find(key: string): PythonEnvironment | null {
    return /^[0-9a-f]{64}$/.test(key) ? (this.ready.get(key) ?? this.fromDisk(key)) : null;
  }

  /** Every code node's venv (null without requirements); a failure names its node(s) and requirement. */
  async prepareGraph(graph: GraphDocument): Promise<Map<string, PythonEnvironment | null>> {
    const lists = new Map<string, { requirements: string[]; nodes: { id: string; index: number }[] }>();
    graph.nodes.forEach((node, index) => {
      if (!isCodeNode(node)) return;
      const requirements = normaliseRequirements(node.requirements);
      const id = JSON.stringify(requirements);
      const entry = lists.get(id) ?? { requirements, nodes: [] };
      entry.nodes.push({ id: node.id, index });
      lists.set(id, entry);
    });
    const result = new Map<string, PythonEnvironment | null>();
    const failures: FailedList[] = [];
    await Promise.all(
      [...lists.values()].map(async (entry) => {
        try {
          const environment = await this.ensure(entry.requirements);
          for (const node of entry.nodes) result.set(node.id, environment);
        } catch (error) {
          const failure = (error as Error).cause;
          if (!(failure instanceof PipFailure)) throw error;
          failures.push({ ...entry, failure });
        }
      }),
    );
    if (failures.length > 0) throw requirementsError(failures, this.pip);
    return result;
  }

  private fromDisk(key: string): PythonEnvironment | null {
    const root = path.join(this.venvsDir, key);
    if (!existsSync(path.join(root, METADATA_FILE))) return null;
    const environment = { key, root, sitePackages: sitePackagesOf(root) };
    this.ready.set(key, environment);
    return environment;
  }

  private async build(key: string, requirements: string[]): Promise<PythonEnvironment> {
    this.prepareVenvsDir();
    this.buildCount += 1;
    const dir = mkdtempSync(path.join(this.venvsDir, `.build-${key.slice(0, 12)}-`));
    const log = this.options.log ?? (() => undefined);
    const started = Date.now();
    log(`building a virtualenv for ${requirements.join(', ')} in ${path.join(this.venvsDir, key)}`);
    try {
      await buildEnvironment({
        dir,
        requirements,
        runtime: this.options.runtime,
        pip: this.pip,
        metadata: {
          key,
          requirements,
          python: this.python,
          pythonVersion: await this.interpreterVersion(),
          indexUrl: this.pip.indexUrl,
          pipArgs: this.pip.pipArgs,
        },
      });
      renameIntoPlace(dir, path.join(this.venvsDir, key));
      log(`virtualenv ${key.slice(0, 12)} ready in ${Date.now() - started} ms (its build.log says what pip did)`);
    } catch (error) {
      log(`virtualenv for ${requirements.join(', ')} failed after ${Date.now() - started} ms`);
      rmSync(dir, { recursive: true, force: true });
      if (error instanceof PipFailure) throw error;
      throw new PipFailure('setup', (error as Error).message, false);
    }
    const environment = this.fromDisk(key);
    if (!environment) throw new PipFailure('setup', `the finished venv ${key} is missing its ${METADATA_FILE}`, false);
    return environment;
  }

  /** Once: the directory reachable by sandboxed builds, and builds a crash left behind removed. */
  private prepareVenvsDir(): void {
    if (this.prepared) return;
    makeReachableByWorkers(this.venvsDir, this.options.dataDir, this.options.log ?? (() => undefined));
    const stale = Date.now() - 2 * this.pip.timeoutMs;
    for (const name of readdirSync(this.venvsDir)) {
      const dir = path.join(this.venvsDir, name);
      if (name.startsWith('.build-') && statSync(dir).mtimeMs < stale) rmSync(dir, { recursive: true, force: true });
    }
    this.prepared = true;
  }

  private interpreterVersion(): Promise<string> {
    this.pythonVersion ??= promisify(execFile)(this.python, ['-c', 'import sys; print(sys.version)'], {
      timeout: 10_000,
    }).then(
      ({ stdout }) => stdout.trim(),
      (error: Error) => {
        this.pythonVersion = null;
        throw new PlinthError('sandbox_unavailable', `cannot run ${this.python} (PLINTH_PYTHON): ${error.message}`);
      },
    );
    return this.pythonVersion;
  }
}

/** Another process may have finished the same venv first: then its copy wins and ours goes. */
function renameIntoPlace(dir: string, root: string): void {
  try {
    renameSync(dir, root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || !existsSync(path.join(root, METADATA_FILE))) throw error;
    rmSync(dir, { recursive: true, force: true });
  }
}
