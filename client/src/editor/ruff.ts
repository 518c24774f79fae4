/**
 * Ruff's WebAssembly build, in the page: syntax errors and lint findings as you type (no
 * Python needed, so they show before Pyodide has started) and formatting for Ctrl+S.
 * The .wasm is a file of the app's own build, fetched the first time a code editor opens.
 */
import init, { PositionEncoding, Workspace, type Diagnostic, type InitInput } from '@astral-sh/ruff-wasm-web';
import ruffWasmUrl from '@astral-sh/ruff-wasm-web/ruff_wasm_bg.wasm?url';

/** Ruff's own default rule set: pyflakes (F) and the pycodestyle errors that need no formatter (E4, E7, E9). */
export const RUFF_RULES = ['E4', 'E7', 'E9', 'F'];

export interface LintProblem {
  /** `invalid-syntax` for a syntax error, else the rule code (`F821`). */
  code: string;
  message: string;
  severity: 'error' | 'warning';
  /** Unused code is drawn faded. */
  unnecessary: boolean;
  /** 1-based, in UTF-16 code units as Monaco counts. */
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export type FormatResult = { ok: true; code: string } | { ok: false; message: string };

let workspace: Promise<Workspace> | null = null;

/** Load Ruff once; `source` is for tests (the .wasm's bytes), the page fetches it from the build. */
export function loadRuff(source?: InitInput): Promise<Workspace> {
  workspace ??= init({ module_or_path: source ?? ruffWasmUrl }).then(
    () => new Workspace({ lint: { select: RUFF_RULES } }, PositionEncoding.Utf16),
  );
  workspace.catch(() => {
    workspace = null; // a failed download is tried again by the next check
  });
  return workspace;
}

/** Syntax errors and lint findings of `code`. */
export async function lintPython(code: string): Promise<LintProblem[]> {
  const ruff = await loadRuff();
  return (ruff.check(code) as Diagnostic[]).map(toProblem);
}

/** `code` as `ruff format` writes it; code that does not parse is left alone and the reason given. */
export async function formatPython(code: string): Promise<FormatResult> {
  const ruff = await loadRuff();
  try {
    return { ok: true, code: ruff.format(code) };
  } catch (err) {
    return { ok: false, message: `Not formatted: ${withLine(code, err instanceof Error ? err.message : String(err))}` };
  }
}

/** Ruff names where a parse failed as a byte range; say the line instead. */
function withLine(code: string, message: string): string {
  const match = / at byte range (\d+)\.\.\d+$/.exec(message);
  if (match === null) return message;
  const before = new TextEncoder().encode(code).subarray(0, Number(match[1]));
  const line = before.filter((byte) => byte === 10).length + 1;
  return `${message.slice(0, match.index)} (line ${line})`;
}

export function toProblem(d: Diagnostic): LintProblem {
  const syntax = d.code === null || d.code === 'invalid-syntax';
  const start = d.start_location;
  let end = d.end_location;
  // An empty range (say, "expected an expression" at the end of a line) would not show: mark one character.
  if (end.row < start.row || (end.row === start.row && end.column <= start.column)) {
    end = { row: start.row, column: start.column + 1 };
  }
  return {
    code: d.code ?? 'invalid-syntax',
    message: syntax ? `SyntaxError: ${d.message}` : `${d.message} (${d.code})`,
    severity: syntax ? 'error' : 'warning',
    unnecessary: d.tags.includes('unnecessary'),
    startLine: start.row,
    startColumn: start.column,
    endLine: end.row,
    endColumn: end.column,
  };
}
