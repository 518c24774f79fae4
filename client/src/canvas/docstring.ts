const QUOTED = String.raw`[rRuU]?("""|'''|"|')([\s\S]*?)\1`;
// The docstring of `process`: the first statement of its body.
const PROCESS_DOC = new RegExp(String.raw`^(?:async\s+)?def\s+process\s*\([^)]*\)[^:\n]*:\s*\n\s*${QUOTED}`, 'm');
// The module's docstring: its first statement, after comments and blank lines.
const MODULE_DOC = new RegExp(String.raw`^(?:\s*#[^\n]*\n|\s*\n)*\s*${QUOTED}`);

/**
 * The first line of a node's docstring (that of `process`, else the module's), for the canvas;
 * undefined when there is none. Read with a pattern, not Python: a node's summary must not
 * wait for Pyodide, and a docstring is a plain string literal at a known place.
 */
export function firstDocstringLine(code: string): string | undefined {
  const match = PROCESS_DOC.exec(code) ?? MODULE_DOC.exec(code);
  const body = match?.[2];
  if (body === undefined) return undefined;
  const line = body
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line === undefined || line === '' ? undefined : line;
}
