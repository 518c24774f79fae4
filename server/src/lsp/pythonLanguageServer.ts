/**
 * The Python language server behind `/api/v1/lsp`: Pyright, a static analyser (it reads code and
 * never executes it), spawned as a child process per WebSocket and spoken to over its stdio. The
 * socket's first message must carry the admin token; nothing is spawned before it does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Duplex } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, type Message } from 'vscode-jsonrpc/node.js';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { sameToken } from '../auth.ts';

export const LSP_PATH = '/api/v1/lsp';
/** Close codes a client can tell apart (4000–4999 are the application's). */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_BUSY = 4429;
export const CLOSE_UNAVAILABLE = 4503;
/** How long a socket may wait before sending the token. */
const AUTH_TIMEOUT_MS = 10_000;
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface LanguageServerOptions {
  adminToken: string;
  /** A private directory: Pyright's workspace (its config and the `ctx` stub), never user files. */
  workDir: string;
  /** Language servers at once (each is a Pyright process), from PLINTH_LSP_MAX_SESSIONS. */
  maxSessions: number;
  log: (line: string) => void;
}

export interface LanguageServerHandle {
  close(): void;
}

/** What the client is told once its token is accepted: the workspace its virtual files live under. */
export interface LspReady {
  plinth: 'ready';
  rootUri: string;
}

const PYRIGHT_CONFIG = {
  typeCheckingMode: 'basic',
  // Ruff in the browser reports these; Pyright saying them again would double every marker.
  reportUndefinedVariable: 'none',
  reportUnusedImport: 'none',
};

function prepareWorkspace(workDir: string): string {
  mkdirSync(workDir, { recursive: true });
  copyFileSync(join(import.meta.dirname, 'plinth_ctx.pyi'), join(workDir, '__builtins__.pyi'));
  writeFileSync(join(workDir, 'pyrightconfig.json'), JSON.stringify(PYRIGHT_CONFIG, null, 2));
  return workDir;
}

function pyrightEntry(): string {
  return join(dirname(createRequire(import.meta.url).resolve('pyright/package.json')), 'langserver.index.js');
}

/** Answer WebSocket upgrades on {@link LSP_PATH}; other upgrades are refused. */
export function attachLanguageServer(http: Server, options: LanguageServerOptions): LanguageServerHandle {
  const root = prepareWorkspace(options.workDir);
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const sessions = new Set<ChildProcess>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== LSP_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => awaitToken(ws));
  };

  const awaitToken = (ws: WebSocket) => {
    const timer = setTimeout(
      () => ws.close(CLOSE_UNAUTHORIZED, 'send {"token": "<admin token>"} first'),
      AUTH_TIMEOUT_MS,
    );
    ws.once('message', (data) => {
      clearTimeout(timer);
      if (!sameToken(tokenOf(data), options.adminToken)) {
        ws.close(CLOSE_UNAUTHORIZED, 'the first message must be {"token": "<admin token>"}');
        return;
      }
      if (sessions.size >= options.maxSessions) {
        ws.close(CLOSE_BUSY, `${options.maxSessions} language servers are running (PLINTH_LSP_MAX_SESSIONS)`);
        return;
      }
      startSession(ws);
    });
  };

  const startSession = (ws: WebSocket) => {
    const child = spawn(process.execPath, [pyrightEntry(), '--stdio'], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: root },
    });
    sessions.add(child);
    const reader = new StreamMessageReader(child.stdout);
    const writer = new StreamMessageWriter(child.stdin);
    reader.listen((message: Message) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    });
    child.stderr.on('data', () => undefined); // Pyright's own chatter; the protocol is on stdout
    child.on('error', (err) => {
      options.log(`language server: ${err.message}`);
      ws.close(CLOSE_UNAVAILABLE, 'the Python language server could not start');
    });
    child.on('exit', () => {
      sessions.delete(child);
      if (ws.readyState === ws.OPEN) ws.close(CLOSE_UNAVAILABLE, 'the Python language server stopped');
    });
    ws.on('message', (data) => {
      try {
        void writer.write(JSON.parse(rawText(data)) as Message);
      } catch {
        ws.close(1007, 'messages must be JSON-RPC objects');
      }
    });
    ws.on('close', () => child.kill());
    const ready: LspReady = { plinth: 'ready', rootUri: pathToFileURL(root).href };
    ws.send(JSON.stringify(ready));
  };

  http.on('upgrade', onUpgrade);
  return {
    close() {
      http.off('upgrade', onUpgrade);
      for (const child of sessions) child.kill();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}

function rawText(data: RawData): string {
  return Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
}

function tokenOf(data: RawData): string {
  try {
    const parsed = JSON.parse(rawText(data)) as { token?: unknown };
    return typeof parsed.token === 'string' ? parsed.token : '';
  } catch {
    return '';
  }
}
