import type { IncomingMessage } from 'node:http';
import { PlinthError } from '@plinth/shared';

export const NO_BODY = Symbol('no body');

/**
 * Reads a JSON body (or `NO_BODY` when there is none) of any content type (so `curl -d` works), refusing more than
 * `limit` bytes with 413 and malformed JSON with 400 that says where it broke.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  const text = await readText(req, limit);
  if (text.trim() === '') return NO_BODY;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw malformed(text, (error as Error).message);
  }
}

function readText(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
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
      resolve(Buffer.concat(chunks).toString('utf8'));
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

function tooLarge(limit: number): PlinthError {
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
