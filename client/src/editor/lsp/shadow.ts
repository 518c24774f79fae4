/**
 * What Pyright is shown of a node's code: the code itself, except that `process`'s second
 * parameter (`ctx`) gets the annotation `: PlinthContext` when it has none, so `ctx.` completes
 * from the stub. Only that one line changes, so positions map back and forth by a column shift.
 */

/** Declared in the language server's `__builtins__.pyi` (server/src/lsp/plinth_ctx.pyi). */
export const CONTEXT_TYPE = 'PlinthContext';
const ANNOTATION = `: ${CONTEXT_TYPE}`;
const PROCESS_DEF =
  /^([ \t]*(?:async[ \t]+)?def[ \t]+process[ \t]*\([ \t]*[A-Za-z_]\w*[ \t]*,[ \t]*)([A-Za-z_]\w*)(?=[ \t]*[,)])/m;

export interface Position {
  line: number;
  character: number;
}

export interface Shadow {
  text: string;
  toShadow(position: Position): Position;
  fromShadow(position: Position): Position;
}

export function shadowOf(code: string): Shadow {
  const match = PROCESS_DEF.exec(code);
  if (match === null) return { text: code, toShadow: (p) => p, fromShadow: (p) => p };
  const line = code.slice(0, match.index).split('\n').length - 1;
  const at = match[1]!.length + match[2]!.length; // just after the parameter's name
  const insertAt = match.index + at;
  return {
    text: code.slice(0, insertAt) + ANNOTATION + code.slice(insertAt),
    toShadow: (p) => (p.line === line && p.character >= at ? { ...p, character: p.character + ANNOTATION.length } : p),
    fromShadow: (p) => {
      if (p.line !== line || p.character <= at) return p;
      return { ...p, character: Math.max(at, p.character - ANNOTATION.length) };
    },
  };
}
