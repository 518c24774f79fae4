import { PlinthError, type Problem } from '@plinth/shared';
import type { PipFailure } from './buildEnvironment.ts';
import { culprits, pipErrorLines, unreachableReason } from './pipOutput.ts';
import type { PipSettings } from './pipSettings.ts';

/** One requirements list that could not be installed, and the nodes that asked for it. */
export interface FailedList {
  requirements: string[];
  nodes: { id: string; index: number }[];
  failure: PipFailure;
}

/**
 * `requirements_failed` naming the node(s), the requirement and pip's own words, e.g.
 * `node 'features' requirement "nosuchpkg==1.0" could not be installed: ERROR: No matching ...`.
 */
export function requirementsError(failures: readonly FailedList[], pip: PipSettings): PlinthError {
  const problems: Problem[] = [];
  const messages = failures.map((failed) => {
    const message = describeFailure(failed, pip);
    for (const node of failed.nodes) {
      problems.push({ path: `nodes[${node.index}].requirements`, nodeId: node.id, message });
    }
    return message;
  });
  const only = failures.length === 1 && failures[0]!.nodes.length === 1 ? failures[0]!.nodes[0]!.id : undefined;
  const error = new PlinthError('requirements_failed', messages.join('\n'), {
    ...(only ? { nodeId: only } : {}),
    ...(problems.length > 0 ? { problems } : {}),
  });
  error.cause = failures[0]?.failure;
  return error;
}

function describeFailure({ requirements, nodes, failure }: FailedList, pip: PipSettings): string {
  const ids = nodes.map((node) => `'${node.id}'`).join(', ');
  const who = nodes.length === 0 ? '' : `${nodes.length === 1 ? 'node' : 'nodes'} ${ids} `;
  const said = pipErrorLines(failure.output);
  const named = failure.timedOut ? requirements : culprits(requirements, said);
  const what = `${named.length === 1 ? 'requirement' : 'requirements'} ${named.map((r) => JSON.stringify(r)).join(', ')}`;
  const index = pip.indexUrl ?? "pip's default index";
  const unreachable = unreachableReason(failure.output);
  const hint = failure.timedOut
    ? ` (the build took longer than PLINTH_PIP_TIMEOUT_MS=${pip.timeoutMs} ms and was stopped)`
    : unreachable
      ? ` (the package index ${index} could not be reached: ${unreachable}; PLINTH_PIP_INDEX_URL sets the index)`
      : '';
  const step = failure.step === 'pip wheel' || failure.step === 'pip install' ? '' : ` (${failure.step})`;
  return `${who}${what} could not be installed${step}: ${said.join('\n')}${hint}`;
}
