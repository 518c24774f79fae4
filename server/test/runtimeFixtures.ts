import { GraphDocumentSchema, type GraphDocument } from '@plinth/shared';
import { createGraphRuntime, runtimeOptionsFromEnv, type Runtime, type RuntimeOptions } from '../src/runtime/index.ts';

export interface CodeStep {
  id: string;
  code: string;
  timeoutMs?: number;
  network?: boolean;
}

/** input → step → step → ... → output, with defaults filled in as the API would. */
export function chainGraph(name: string, steps: CodeStep[]): GraphDocument {
  const ids = ['input', ...steps.map((s) => s.id), 'output'];
  return GraphDocumentSchema.parse({
    format: 'plinth.graph/v1',
    name,
    nodes: [
      { id: 'input', type: 'input' },
      ...steps.map((s) => ({ type: 'python', ...s })),
      { id: 'output', type: 'output' },
    ],
    edges: ids.slice(1).map((target, i) => ({ source: ids[i]!, target })),
  });
}

/** Python source from lines, so node code in tests reads like a file. */
export function py(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** A runtime with the real sandbox (bwrap), as the server makes it, with test-sized settings. */
export function testRuntime(overrides: Partial<RuntimeOptions> = {}): Runtime {
  const logs: string[] = [];
  return createGraphRuntime({
    ...runtimeOptionsFromEnv({ PATH: process.env.PATH }, (m) => logs.push(m)),
    workersPerPool: 1,
    memoryLimitMb: 512,
    ...overrides,
  });
}

let poolCounter = 0;
/** A fresh pool key, so tests never share workers by accident. */
export function freshKey(label: string): string {
  return `${label}#${++poolCounter}`;
}
