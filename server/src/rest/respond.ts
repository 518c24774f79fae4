import type { ServerResponse } from 'node:http';
import type { Request } from 'express';
import type { z } from 'zod';
import { PlinthError } from '@plinth/shared';
import { isDatabaseUnavailable } from '../db/database.ts';
import type { Log } from '../services/index.ts';

/** Writes a JSON response without Express's extras (ETag hashing), for the hot path too. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  if (headers) for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(text);
}

/** Any error as `{"error": {...}}`; anything that is not a PlinthError is a logged 500. */
export function sendError(res: ServerResponse, error: unknown, log: Log): void {
  const plinth = toPlinthError(error, log);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const retry = plinth.details.retryAfterSeconds;
  sendJson(
    res,
    plinth.status,
    { error: plinth.toJSON() },
    typeof retry === 'number' ? { 'Retry-After': String(retry) } : undefined,
  );
}

export function toPlinthError(error: unknown, log: Log): PlinthError {
  if (error instanceof PlinthError) return error;
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error, log);
  log(`internal error: ${(error as Error)?.stack ?? String(error)}`);
  return new PlinthError('internal', 'the server hit an unexpected error; its log has the details');
}

/** Aborted when the client goes away before its answer is sent: queued runs then leave the queue. */
export function closedSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  // 'close' without a finished response: the connection went away before the answer.
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}

function databaseUnavailable(error: unknown, log: Log): PlinthError {
  log(`database unavailable: ${(error as Error)?.message ?? String(error)}`);
  return new PlinthError('database_unavailable', 'the database cannot be reached right now; try again shortly', {
    retryAfterSeconds: 2,
  });
}

/** A route parameter, always a string for the routes we declare. */
export function param(req: Request, key: string): string {
  const value = req.params[key];
  return typeof value === 'string' ? value : '';
}

/** Parses a request body with its shared schema; a mismatch is a 400 that shows the expected shape. */
export function parseBody<T>(schema: z.ZodType<T>, payload: unknown, usage: string): T {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => ({
    path: ['body', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new PlinthError('bad_request', `the body must be ${usage}`, { problems });
}
