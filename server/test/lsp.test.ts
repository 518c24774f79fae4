import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  attachLanguageServer,
  CLOSE_BUSY,
  CLOSE_UNAUTHORIZED,
  LSP_PATH,
  type LanguageServerHandle,
} from '../src/lsp/pythonLanguageServer.ts';

const TOKEN = 'lsp-test-admin-token-0123456789';

let http: Server;
let lsp: LanguageServerHandle;
let url: string;
let workDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'plinth-lsp-'));
  http = createServer((_req, res) => res.end());
  lsp = attachLanguageServer(http, { adminToken: TOKEN, workDir, maxSessions: 1, log: () => undefined });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}${LSP_PATH}`;
});

afterAll(async () => {
  lsp.close();
  await new Promise((resolve) => http.close(resolve));
  rmSync(workDir, { recursive: true, force: true });
});

function textOf(data: WebSocket.RawData): string {
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
}

function open(): Promise<WebSocket> {
  const ws = new WebSocket(url);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function closed(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

/** Send JSON-RPC and collect what comes back, by id. */
function rpc(ws: WebSocket) {
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on('message', (data) => {
    const message = JSON.parse(textOf(data)) as { id?: number; result?: unknown; method?: string };
    if (message.method !== undefined && message.id !== undefined) {
      // A request from Pyright (configuration, capability registration): answer it plainly.
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: message.id, result: null }));
      return;
    }
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  return {
    request: (method: string, params: unknown) =>
      new Promise<unknown>((resolve) => {
        const id = next++;
        pending.set(id, resolve);
        ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
      }),
    notify: (method: string, params: unknown) => ws.send(JSON.stringify({ jsonrpc: '2.0', method, params })),
  };
}

describe('the Python language server WebSocket', () => {
  it('refuses a socket whose first message has no token, or the wrong one', async () => {
    const without = await open();
    const withoutClosed = closed(without);
    without.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }));
    expect(await withoutClosed).toMatchObject({ code: CLOSE_UNAUTHORIZED });

    const wrong = await open();
    const wrongClosed = closed(wrong);
    wrong.send(JSON.stringify({ token: 'not-the-token' }));
    const answer = await wrongClosed;
    expect(answer.code).toBe(CLOSE_UNAUTHORIZED);
    expect(answer.reason).toContain('token');
  });

  it('refuses other paths', async () => {
    const other = new WebSocket(url.replace(LSP_PATH, '/api/v1/other'));
    const status = await new Promise<number>((resolve) =>
      other.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(404);
  });

  it('with the token, Pyright completes ctx. from the stub and reports a type error', { timeout: 60_000 }, async () => {
    const ws = await open();
    const first = new Promise<{ plinth: string; rootUri: string }>((resolve) =>
      ws.once('message', (data) => resolve(JSON.parse(textOf(data)) as { plinth: string; rootUri: string })),
    );
    ws.send(JSON.stringify({ token: TOKEN }));
    const ready = await first;
    expect(ready.plinth).toBe('ready');

    // A second language server is over PLINTH_LSP_MAX_SESSIONS (1 here), and says so.
    const second = await open();
    const secondClosed = closed(second);
    second.send(JSON.stringify({ token: TOKEN }));
    expect(await secondClosed).toMatchObject({
      code: CLOSE_BUSY,
      reason: expect.stringContaining('PLINTH_LSP_MAX_SESSIONS'),
    });

    const diagnostics = new Promise<{ message: string; range: { start: { line: number } } }[]>((resolve) => {
      ws.on('message', (data) => {
        const m = JSON.parse(textOf(data)) as { method?: string; params?: { diagnostics: never[] } };
        if (m.method === 'textDocument/publishDiagnostics' && (m.params?.diagnostics.length ?? 0) > 0) {
          resolve(m.params!.diagnostics);
        }
      });
    });
    const client = rpc(ws);
    const init = (await client.request('initialize', {
      processId: null,
      rootUri: ready.rootUri,
      capabilities: {},
      workspaceFolders: [{ uri: ready.rootUri, name: 'plinth' }],
    })) as { capabilities: { completionProvider?: unknown; hoverProvider?: unknown } };
    expect(init.capabilities.completionProvider).toBeDefined();
    expect(init.capabilities.hoverProvider).toBeTruthy();
    client.notify('initialized', {});
    const uri = `${ready.rootUri}/process.py`;
    const text = 'def process(data, ctx: PlinthContext):\n    ctx.\n    return 1 + "a"\n';
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const completion = (await client.request('textDocument/completion', {
      textDocument: { uri },
      position: { line: 1, character: 8 },
    })) as { items: { label: string }[] };
    expect(completion.items.map((i) => i.label)).toEqual(expect.arrayContaining(['state', 'secrets', 'log', 'run_id']));
    const problems = await diagnostics;
    expect(problems.some((d) => d.range.start.line === 2 && d.message.includes('+'))).toBe(true);
    ws.close();
  });
});
