/**
 * Monaco's Python completion, hover and signature help, answered by Pyright through the page's
 * language client, and Pyright's diagnostics as markers. Registered once; each request finds the
 * node's virtual file by the Monaco model it comes from.
 */
import { monaco } from '../monacoPython.ts';
import type { LspDiagnostic, LspDocument, LspRange } from './pythonLanguageClient.ts';

type Model = ReturnType<typeof monaco.editor.createModel>;
type MonacoPosition = InstanceType<typeof monaco.Position>;

const documents = new Map<Model, LspDocument>();

/** The node's file, brought up to date first: Monaco asks (say, on ".") before React has passed the edit on. */
function documentFor(model: Model): LspDocument | undefined {
  const document = documents.get(model);
  document?.update(model.getValue());
  return document;
}
const PYRIGHT_OWNER = 'pyright';

interface MarkupContent {
  kind: string;
  value: string;
}
interface LspCompletionItem {
  label: string;
  kind?: number;
  detail?: string;
  documentation?: string | MarkupContent;
  sortText?: string;
  filterText?: string;
  insertText?: string;
  textEdit?: { newText: string };
}
interface LspHover {
  contents: MarkupContent | string | (MarkupContent | string)[];
  range?: LspRange;
}
interface LspSignatureHelp {
  signatures: {
    label: string;
    documentation?: string | MarkupContent;
    parameters?: { label: string | [number, number]; documentation?: string | MarkupContent }[];
    activeParameter?: number;
  }[];
  activeSignature?: number;
  activeParameter?: number;
}

type PlinthCompletionItem = ReturnType<typeof toCompletionItem>;

/** Tie a model to its node's virtual file (and its diagnostics to the model's markers) until disposed. */
export function bindDocument(model: Model, document: LspDocument): () => void {
  registerOnce();
  documents.set(model, document);
  document.onDiagnostics((diagnostics) => {
    if (!model.isDisposed()) monaco.editor.setModelMarkers(model, PYRIGHT_OWNER, diagnostics.flatMap(toMarker));
  });
  return () => {
    if (documents.get(model) === document) documents.delete(model);
    document.close();
    if (!model.isDisposed()) monaco.editor.setModelMarkers(model, PYRIGHT_OWNER, []);
  };
}

const toLsp = (p: MonacoPosition) => ({ line: p.lineNumber - 1, character: p.column - 1 });
const toMonacoRange = (r: LspRange) =>
  new monaco.Range(r.start.line + 1, r.start.character + 1, r.end.line + 1, r.end.character + 1);
const markdown = (doc: string | MarkupContent | undefined) =>
  doc === undefined ? undefined : typeof doc === 'string' ? { value: doc } : { value: doc.value };

function toMarker(d: LspDiagnostic) {
  // Diagnostics without a rule are Pyright's syntax errors: Ruff in the page reports those already.
  if (d.code === undefined) return [];
  const severity = [0, monaco.MarkerSeverity.Error, monaco.MarkerSeverity.Warning, monaco.MarkerSeverity.Info][
    d.severity ?? 1
  ];
  return [
    {
      ...toMonacoRangeFields(d.range),
      message: d.message,
      code: String(d.code),
      source: 'Pyright',
      severity: severity ?? monaco.MarkerSeverity.Hint,
      ...(d.tags?.includes(1) ? { tags: [monaco.MarkerTag.Unnecessary] } : {}),
    },
  ];
}

function toMonacoRangeFields(r: LspRange) {
  const range = toMonacoRange(r);
  return {
    startLineNumber: range.startLineNumber,
    startColumn: range.startColumn,
    endLineNumber: range.endLineNumber,
    endColumn: range.endColumn,
  };
}

function toCompletionItem(item: LspCompletionItem, range: InstanceType<typeof monaco.Range>) {
  return {
    label: item.label,
    kind: COMPLETION_KINDS[item.kind ?? 0] ?? monaco.languages.CompletionItemKind.Text,
    insertText: item.textEdit?.newText ?? item.insertText ?? item.label,
    range,
    ...(item.detail === undefined ? {} : { detail: item.detail }),
    ...(item.documentation === undefined ? {} : { documentation: markdown(item.documentation) }),
    ...(item.sortText === undefined ? {} : { sortText: item.sortText }),
    ...(item.filterText === undefined ? {} : { filterText: item.filterText }),
    /** Sent back to Pyright to fetch the documentation when the item is focused. */
    lsp: item,
  };
}

const K = monaco.languages.CompletionItemKind;
// LSP CompletionItemKind (1-based) → Monaco's.
const COMPLETION_KINDS = [
  undefined,
  K.Text,
  K.Method,
  K.Function,
  K.Constructor,
  K.Field,
  K.Variable,
  K.Class,
  K.Interface,
  K.Module,
  K.Property,
  K.Unit,
  K.Value,
  K.Enum,
  K.Keyword,
  K.Snippet,
  K.Color,
  K.File,
  K.Reference,
  K.Folder,
  K.EnumMember,
  K.Constant,
  K.Struct,
  K.Event,
  K.Operator,
  K.TypeParameter,
];

let registered = false;

function registerOnce(): void {
  if (registered) return;
  registered = true;
  monaco.languages.registerCompletionItemProvider('python', {
    triggerCharacters: ['.'],
    async provideCompletionItems(model, position) {
      const document = documentFor(model);
      if (!document) return { suggestions: [] };
      const word = model.getWordUntilPosition(position);
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const answer = await document
        .request<{ items: LspCompletionItem[]; isIncomplete?: boolean } | LspCompletionItem[]>(
          'textDocument/completion',
          toLsp(position),
        )
        .catch(() => null);
      const items = answer === null ? [] : Array.isArray(answer) ? answer : answer.items;
      return {
        suggestions: items.map((item) => toCompletionItem(item, range)),
        incomplete: !Array.isArray(answer) && answer?.isIncomplete === true,
      };
    },
    async resolveCompletionItem(item) {
      const plinthItem = item as PlinthCompletionItem;
      const document = [...documents.values()][0];
      if (!document || plinthItem.documentation !== undefined) return item;
      const resolved = await document.resolveCompletion(plinthItem.lsp);
      if (resolved === null) return item;
      return {
        ...item,
        ...(resolved.detail === undefined ? {} : { detail: resolved.detail }),
        ...(resolved.documentation === undefined ? {} : { documentation: markdown(resolved.documentation) }),
      };
    },
  });
  monaco.languages.registerHoverProvider('python', {
    async provideHover(model, position) {
      const document = documentFor(model);
      if (!document) return null;
      const hover = await document.request<LspHover>('textDocument/hover', toLsp(position)).catch(() => null);
      if (hover === null) return null;
      const parts = Array.isArray(hover.contents) ? hover.contents : [hover.contents];
      return {
        contents: parts.map((part) => (typeof part === 'string' ? { value: part } : { value: part.value })),
        ...(hover.range === undefined ? {} : { range: toMonacoRange(document.fromShadow(hover.range)) }),
      };
    },
  });
  monaco.languages.registerSignatureHelpProvider('python', {
    signatureHelpTriggerCharacters: ['(', ','],
    signatureHelpRetriggerCharacters: [')'],
    async provideSignatureHelp(model, position) {
      const document = documentFor(model);
      if (!document) return null;
      const help = await document
        .request<LspSignatureHelp>('textDocument/signatureHelp', toLsp(position))
        .catch(() => null);
      if (help === null || help.signatures.length === 0) return null;
      return {
        value: {
          signatures: help.signatures.map((s) => ({
            label: s.label,
            documentation: markdown(s.documentation),
            parameters: (s.parameters ?? []).map((p) => ({ label: p.label, documentation: markdown(p.documentation) })),
            ...(s.activeParameter === undefined ? {} : { activeParameter: s.activeParameter }),
          })),
          activeSignature: help.activeSignature ?? 0,
          activeParameter: help.activeParameter ?? 0,
        },
        dispose: () => undefined,
      };
    },
  });
}
