/**
 * The code editor's connection to Pyright on the server (`/api/v1/lsp`): one WebSocket per page,
 * opened when the first code editor asks for it, and one virtual file per open node.
 */
import { createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/browser';
import { TOKEN_STORAGE_KEY } from '../../api/token.ts';
import { shadowOf, type Position, type Shadow } from './shadow.ts';
import { WebSocketMessageReader, WebSocketMessageWriter } from './webSocketTransport.ts';

export const LSP_PATH = '/api/v1/lsp';

export interface LspRange {
  start: Position;
  end: Position;
}

export interface LspDiagnostic {
  range: LspRange;
  message: string;
  severity?: 1 | 2 | 3 | 4;
  code?: string | number;
  tags?: number[];
}

/** A node's code as a file Pyright knows: kept in step with the editor, positions mapped through its shadow. */
export class LspDocument {
  private version = 1;
  private shadow: Shadow;
  private diagnosticsListener: ((diagnostics: LspDiagnostic[]) => void) | null = null;

  constructor(
    private readonly client: PythonLanguageClient,
    readonly uri: string,
    code: string,
  ) {
    this.shadow = shadowOf(code);
    void client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'python', version: this.version, text: this.shadow.text },
    });
  }

  update(code: string): void {
    const next = shadowOf(code);
    if (next.text === this.shadow.text) return;
    this.shadow = next;
    this.version += 1;
    void this.client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: this.uri, version: this.version },
      contentChanges: [{ text: next.text }],
    });
  }

  close(): void {
    this.client.forget(this);
    void this.client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: this.uri } });
  }

  /** A request about a position in the editor's code; ranges in the answer are mapped back by the caller. */
  request<T>(method: string, position: Position, extra: object = {}): Promise<T | null> {
    return this.client.connection.sendRequest<T | null>(method, {
      textDocument: { uri: this.uri },
      position: this.shadow.toShadow(position),
      ...extra,
    });
  }

  /** Ask for what a completion item leaves out until it is focused (its documentation). */
  resolveCompletion<T>(item: T): Promise<T | null> {
    return this.client.connection.sendRequest<T>('completionItem/resolve', item).catch(() => null);
  }

  /** The editor's range for a range in what Pyright was shown. */
  fromShadow(range: LspRange): LspRange {
    return { start: this.shadow.fromShadow(range.start), end: this.shadow.fromShadow(range.end) };
  }

  onDiagnostics(listener: (diagnostics: LspDiagnostic[]) => void): void {
    this.diagnosticsListener = listener;
  }

  receiveDiagnostics(diagnostics: LspDiagnostic[]): void {
    this.diagnosticsListener?.(diagnostics.map((d) => ({ ...d, range: this.fromShadow(d.range) })));
  }
}

export class PythonLanguageClient {
  private readonly documents = new Map<string, LspDocument>();

  private constructor(
    readonly connection: MessageConnection,
    private readonly rootUri: string,
  ) {
    connection.onNotification(
      'textDocument/publishDiagnostics',
      (params: { uri: string; diagnostics: LspDiagnostic[] }) =>
        this.documents.get(params.uri)?.receiveDiagnostics(params.diagnostics),
    );
    // Pyright asks for settings and to register capabilities: defaults, and yes.
    connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
  }

  /** Open a WebSocket to the server's Pyright, present the admin token, and initialize. */
  static async connect(token: string): Promise<PythonLanguageClient> {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}${LSP_PATH}`);
    const rootUri = await handshake(socket, token);
    const connection = createMessageConnection(new WebSocketMessageReader(socket), new WebSocketMessageWriter(socket));
    const client = new PythonLanguageClient(connection, rootUri);
    connection.listen();
    await connection.sendRequest('initialize', {
      processId: null,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: 'plinth' }],
      capabilities: {
        textDocument: {
          completion: { completionItem: { documentationFormat: ['markdown', 'plaintext'], snippetSupport: false } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          signatureHelp: {
            signatureInformation: {
              documentationFormat: ['markdown', 'plaintext'],
              parameterInformation: { labelOffsetSupport: true },
            },
          },
          publishDiagnostics: { tagSupport: { valueSet: [1, 2] } },
        },
        workspace: { configuration: true },
      },
    });
    await connection.sendNotification('initialized', {});
    return client;
  }

  /** A node's code as a virtual file; `name` must be unique among the open ones (a node id). */
  open(name: string, code: string): LspDocument {
    const uri = `${this.rootUri}/${encodeURIComponent(name)}.py`;
    this.documents.get(uri)?.close();
    const document = new LspDocument(this, uri, code);
    this.documents.set(uri, document);
    return document;
  }

  forget(document: LspDocument): void {
    if (this.documents.get(document.uri) === document) this.documents.delete(document.uri);
  }
}

/** Send the token as the first message; the server answers with the workspace root, or closes. */
function handshake(socket: WebSocket, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const onMessage = (event: MessageEvent<string>) => {
      socket.removeEventListener('message', onMessage);
      const answer = JSON.parse(event.data) as { plinth?: string; rootUri?: string };
      if (answer.plinth === 'ready' && typeof answer.rootUri === 'string') resolve(answer.rootUri);
      else reject(new Error('the language server answered something unexpected'));
    };
    socket.addEventListener('open', () => socket.send(JSON.stringify({ token })));
    socket.addEventListener('message', onMessage);
    socket.addEventListener('close', (event) => reject(new Error(event.reason || `closed (${event.code})`)));
  });
}

let client: Promise<PythonLanguageClient> | null = null;

/** The page's language client; a failed or closed connection is opened again on the next use. */
export function getPythonLanguageClient(): Promise<PythonLanguageClient> {
  if (client === null) {
    const token = sessionStorage.getItem(TOKEN_STORAGE_KEY) ?? localStorage.getItem(TOKEN_STORAGE_KEY) ?? '';
    const connecting = PythonLanguageClient.connect(token);
    client = connecting;
    connecting
      .then((c) => c.connection.onClose(() => (client = client === connecting ? null : client)))
      .catch(() => (client = client === connecting ? null : client));
  }
  return client;
}
