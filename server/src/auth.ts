import { createHash, timingSafeEqual } from 'node:crypto';
import { PlinthError } from '@plinth/shared';

/** How a request presented itself: the admin token, some other bearer value, or nothing. */
export type Caller = { kind: 'admin' } | { kind: 'bearer'; token: string } | { kind: 'anonymous' };

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Compares tokens in constant time (hashing first makes the lengths equal). */
export function sameToken(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** Classifies an `Authorization` header against the admin token. */
export function identifyCaller(header: string | undefined, adminToken: string): Caller {
  if (!header) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) return { kind: 'bearer', token: '' };
  const token = match[1]!;
  return sameToken(token, adminToken) ? { kind: 'admin' } : { kind: 'bearer', token };
}

export const missingToken = (): PlinthError =>
  new PlinthError(
    'unauthorized',
    'this needs "Authorization: Bearer <token>": the admin token (printed when the server starts and saved in <data dir>/admin-token) or, to invoke, an API key',
  );

export const wrongToken = (): PlinthError =>
  new PlinthError(
    'forbidden',
    'the token is not the admin token; use the one printed when the server started (or PLINTH_ADMIN_TOKEN)',
  );

/** Throws 401 without a token and 403 with the wrong one. */
export function assertAdmin(caller: Caller): void {
  if (caller.kind === 'anonymous') throw missingToken();
  if (caller.kind !== 'admin') throw wrongToken();
}
