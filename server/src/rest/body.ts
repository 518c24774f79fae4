import type { IncomingMessage } from 'node:http';
import { jsonValueProblem, PlinthError } from '@plinth/shared';

export const NO_BODY = Symbol('no body');

/** The limits a request body is read within (`PLINTH_MAX_BODY_BYTES`, `PLINTH_MAX_JSON_DEPTH`). */
export interface BodyLimits {
  maxBytes: number;
  maxDepth: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a JSON body (or `NO_BODY` when there is none) of any content type (so `curl -d` works). Refused
 * with an error that says what and where: more than `maxBytes` (413), not UTF-8, malformed JSON, nested
 * deeper than `maxDepth`, or a number JSON cannot carry such as `1e999` (400).
 */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limits.maxBytes) throw tooLarge(limits.maxBytes);
  const text = decodeUtf8(await readBytes(req, limits.maxBytes));
  if (text.trim() === '') return NO_BODY;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw malformed(text, (error as Error).message);
  }
  checkJsonValue(value, limits.maxDepth);
  return value;
}

function decodeUtf8(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new PlinthError(
      'invalid_json',
      `the request body is not valid UTF-8 (the first bad byte is at offset ${at}); send JSON as UTF-8`,
      { position: at },
    );
  }
}

/** The offset of the first byte that does not start or continue a UTF-8 sequence (error path only). */
function firstInvalidUtf8(bytes: Buffer): number {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < bytes.length; i++) {
    try {
      decoder.decode(bytes.subarray(i, i + 1), { stream: true });
    } catch {
      return i;
    }
  }
  return bytes.length;
}

/**
 * Nesting deeper than `maxDepth` would only make a worker's decoder give up, and `1e999` would
 * silently become `null` on the way out: both are refused where the body comes in.
 */
export function checkJsonValue(value: unknown, maxDepth: number): void {
  const problem = jsonValueProblem(value, maxDepth);
  if (!problem) return;
  const where = problem.path || 'the top level';
  if (problem.kind === 'not_finite') {
    throw new PlinthError(
      'invalid_json',
      `the number at ${where} of the request body is too large for JSON (it would become null); send it as a string`,
      { path: problem.path },
    );
  }
  throw new PlinthError(
    'invalid_json',
    `the request body is nested more than ${maxDepth} levels deep (at ${where}); the PLINTH_MAX_JSON_DEPTH setting changes the limit`,
    { path: problem.path, limit: maxDepth, setting: 'PLINTH_MAX_JSON_DEPTH' },
  );
}

function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Let the rest of the body drain so the client can read our 413.
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(new PlinthError('bad_request', `the request body could not be read: ${error.message}`));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** 413 naming the setting that changes the limit. */
export function tooLarge(limit: number): PlinthError {
  return new PlinthError(
    'payload_too_large',
    `the request body is larger than the limit of ${limit} bytes; the server's PLINTH_MAX_BODY_BYTES setting changes it`,
    { limit, setting: 'PLINTH_MAX_BODY_BYTES' },
  );
}

function malformed(text: string, reason: string): PlinthError {
  const position = errorPosition(text, reason);
  if (position === undefined) {
    return new PlinthError('invalid_json', `the request body is not valid JSON: ${reason}`);
  }
  const before = text.slice(0, position).split('\n');
  const line = before.length;
  const column = (before.at(-1)?.length ?? 0) + 1;
  return new PlinthError(
    'invalid_json',
    `the request body is not valid JSON at line ${line}, column ${column}: ${reason}`,
    {
      position,
      line,
      column,
    },
  );
}

/** Whether a prefix of the body already holds a mistake (not merely an early end). */
function brokenPrefix(prefix: string): boolean {
  try {
    JSON.parse(prefix);
    return false;
  } catch (error) {
    const message = (error as Error).message;
    if (message.includes('end of JSON input')) return false;
    const at = /position (\d+)/.exec(message);
    return !(at && Number(at[1]) >= prefix.length);
  }
}

/**
 * Where parsing broke. V8 names the position for most mistakes but not for an
 * unexpected token, so then we search for the shortest broken prefix (error path only).
 */
function errorPosition(text: string, reason: string): number | undefined {
  const at = /position (\d+)/.exec(reason);
  if (at) return Number(at[1]);
  let low = 0;
  let high = text.length;
  if (!brokenPrefix(text)) return undefined;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (brokenPrefix(text.slice(0, mid))) high = mid;
    else low = mid + 1;
  }
  return Math.max(0, low - 1);
}
