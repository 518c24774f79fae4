/**
 * Gets a node's requirements into the Pyodide worker before the node runs: the server resolves
 * the list (see requirementsPlan.ts), the worker loads the pure-Python wheels. Once a list has
 * been loaded into a worker it is not asked for again; a list the server could not resolve is.
 */
import type { Remote } from 'comlink';
import { normaliseRequirements, type NodeOutcome } from '@plinth/shared';
import type { PythonWorkerApi } from './protocol.ts';
import { cannotLoad, planRequirements } from './requirementsPlan.ts';

export class RequirementLoader {
  private api: Remote<PythonWorkerApi> | null = null;
  /** Normalised list (as JSON) → the lines saying what could not be loaded. */
  private readonly loads = new Map<string, Promise<string[]>>();

  constructor(private readonly token: () => string | null) {}

  /** Loads what the browser can; answers a line for each requirement it could not load. Never rejects. */
  load(api: Remote<PythonWorkerApi>, requirements: readonly string[]): Promise<string[]> {
    if (api !== this.api) {
      // A fresh worker has a fresh site-packages.
      this.api = api;
      this.loads.clear();
    }
    const list = normaliseRequirements(requirements);
    if (list.length === 0) return Promise.resolve([]);
    const key = JSON.stringify(list);
    let loading = this.loads.get(key);
    if (!loading) {
      loading = this.fetchAndLoad(api, list).then(({ notes, final }) => {
        if (!final && this.loads.get(key) === loading) this.loads.delete(key);
        return notes;
      });
      this.loads.set(key, loading);
    }
    return loading;
  }

  private async fetchAndLoad(
    api: Remote<PythonWorkerApi>,
    list: string[],
  ): Promise<{ notes: string[]; final: boolean }> {
    const token = this.token();
    const plan = await planRequirements(list, { token });
    if (plan.load.length === 0) return { notes: plan.notes, final: plan.resolved };
    try {
      const failed = await api.loadWheels(plan.load, token);
      return { notes: [...plan.notes, ...failed], final: plan.resolved && failed.length === 0 };
    } catch (err) {
      const why = `the Python worker failed while loading it (${err instanceof Error ? err.message : String(err)})`;
      return { notes: [...plan.notes, ...plan.load.map((wheel) => cannotLoad(wheel.label, why))], final: false };
    }
  }
}

/** The preview says which requirements it could not load; an import error says it too. */
export function withRequirementNotes(outcome: NodeOutcome, notes: readonly string[]): NodeOutcome {
  if (notes.length === 0) return outcome;
  const logs = [...notes.map((text) => ({ stream: 'stderr' as const, text })), ...outcome.logs];
  if (outcome.ok) return { ...outcome, logs };
  const missingModule = outcome.error.type === 'ModuleNotFoundError' || outcome.error.type === 'ImportError';
  const message = missingModule ? `${outcome.error.message}\n${notes.join('\n')}` : outcome.error.message;
  return { ...outcome, logs, error: { ...outcome.error, message } };
}
