/** What makes a parsed value unfit to travel as JSON: too deep, or a number JSON cannot carry. */
export interface JsonValueProblem {
  kind: 'too_deep' | 'not_finite';
  /** Where, as `[0].amount` (empty at the top level). */
  path: string;
}

interface Frame {
  value: unknown;
  depth: number;
  key: string | number;
  parent: Frame | null;
}

function pathOf(frame: Frame): string {
  let path = '';
  for (let f: Frame | null = frame; f?.parent; f = f.parent) {
    path = (typeof f.key === 'number' ? `[${f.key}]` : `.${f.key}`) + path;
  }
  return path;
}

/**
 * Walks a value once, without recursion (so a 100,000-level array cannot overflow the stack), and
 * returns its first problem: nesting deeper than `maxDepth`, or a number such as `1e999` that JSON
 * would turn into `null`.
 */
export function jsonValueProblem(value: unknown, maxDepth: number): JsonValueProblem | null {
  const stack: Frame[] = [{ value, depth: 0, key: '', parent: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const item = frame.value;
    if (typeof item === 'number') {
      if (Number.isFinite(item)) continue;
      return { kind: 'not_finite', path: pathOf(frame) };
    }
    if (typeof item !== 'object' || item === null) continue;
    if (frame.depth >= maxDepth) return { kind: 'too_deep', path: pathOf(frame) };
    const depth = frame.depth + 1;
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) stack.push({ value: item[i], depth, key: i, parent: frame });
    } else {
      for (const key in item) stack.push({ value: (item as Record<string, unknown>)[key], depth, key, parent: frame });
    }
  }
  return null;
}

/** How deep a graph document may nest (its own structure plus JSON Schemas and examples). */
export const MAX_DOCUMENT_DEPTH = 64;
