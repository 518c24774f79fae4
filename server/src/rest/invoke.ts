import type { IncomingMessage, ServerResponse } from 'node:http';
import { PlinthError, type Json } from '@plinth/shared';
import type { PlinthCore } from '../plinth.ts';
import { RESPONSE_HEADERS } from '../staticIde.ts';
import { NO_BODY, readJsonBody } from './body.ts';
import { authorizeInvoke, bodyLimits } from './http.ts';
import { closedSignal, sendError } from './respond.ts';

/** Which graph (and, pinned, which version) an invoke URL names. */
export interface InvokeTarget {
  name: string;
  /** The raw version segment of a pinned invoke, checked by `handleInvoke`. */
  version?: string;
}

const LIVE = /^\/api\/v1\/graphs\/([^/?#]+)\/invoke\/?(?:\?.*)?$/;
const PINNED = /^\/api\/v1\/graphs\/([^/?#]+)\/versions\/([^/?#]+)\/invoke\/?(?:\?.*)?$/;

/** Recognises `POST .../invoke` from the raw URL, so the hot path can skip Express's router. */
export function matchInvoke(method: string | undefined, url: string | undefined): InvokeTarget | null {
  if (method !== 'POST' || !url) return null;
  const live = LIVE.exec(url);
  if (live) return { name: decode(live[1]!) };
  const pinned = PINNED.exec(url);
  return pinned ? { name: decode(pinned[1]!), version: decode(pinned[2]!) } : null;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseVersion(raw: string): number {
  if (!/^[1-9]\d{0,8}$/.test(raw)) {
    throw new PlinthError(
      'bad_request',
      `the version in the URL must be a whole number from 1, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

/**
 * Runs a published graph for an API key holder (or the admin) and answers with its output,
 * `Plinth-Version` and `Plinth-Run-Id`. The benchmarked path: plain node:http, no database, no
 * logging; the invoke service counts and records the run. Never throws.
 */
export async function handleInvoke(
  core: PlinthCore,
  req: IncomingMessage,
  res: ServerResponse,
  target: InvokeTarget,
): Promise<void> {
  try {
    const key = await authorizeInvoke(core, req.headers.authorization, target.name);
    const version = target.version === undefined ? undefined : parseVersion(target.version);
    const input = await readJsonBody(req, bodyLimits(core));
    if (input === NO_BODY) throw new PlinthError('invalid_json', 'the request body is empty; send the input as JSON');
    const result = await core.services.invoke.invoke(target.name, input as Json, {
      ...(version !== undefined ? { version } : {}),
      key,
      signal: closedSignal(res),
    });
    sendAnswer(res, result.output, result.version, result.trace.runId);
  } catch (error) {
    for (const [header, value] of RESPONSE_HEADERS) res.setHeader(header, value);
    const runId = error instanceof PlinthError ? error.details.runId : undefined;
    if (typeof runId === 'string') res.setHeader('Plinth-Run-Id', runId);
    sendError(res, error, core.log);
  }
}

/** The answer's fixed headers, as `writeHead` takes them: name, value, name, value, … */
const ANSWER_HEADERS = [
  ...RESPONSE_HEADERS.flat(),
  'Content-Type',
  'application/json; charset=utf-8',
] as readonly string[];

/**
 * An invoke's answer: the headers `sendJson` and the security headers give, in one `writeHead` of a
 * flat list, so node:http builds no header map for it (ten `setHeader` calls, each validated and
 * stored, then read back).
 */
function sendAnswer(res: ServerResponse, output: Json, version: number, runId: string): void {
  const text = JSON.stringify(output);
  res.writeHead(200, [
    ...ANSWER_HEADERS,
    'Content-Length',
    String(Buffer.byteLength(text)),
    'Plinth-Version',
    String(version),
    'Plinth-Run-Id',
    runId,
  ]);
  res.end(text);
}
