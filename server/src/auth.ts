import { createHash, timingSafeEqual } from 'node:crypto';
import { PlinthError } from '@plinth/shared';
import { API_KEY_PREFIX } from './services/keyService.ts';

/** How a request presented itself: the admin token, some other bearer value, or nothing. */
export type Caller = { kind: 'admin' } | { kind: 'bearer'; token: string } | { kind: 'anonymous' };

const digest = (value: string) => createHash('sha256').update(value).digest();

// The admin token's digest, computed once per token rather than on every request.
let adminDigest: { token: string; digest: Buffer } | undefined;

/** Compares a presented token with the admin token in constant time (hashing makes lengths equal). */
export function sameToken(presented: string, admin: string): boolean {
  if (adminDigest?.token !== admin) adminDigest = { token: admin, digest: digest(admin) };
  return timingSafeEqual(digest(presented), adminDigest.digest);
}

/** Classifies an `Authorization` header against the admin token. */
export function identifyCaller(header: string | undefined, adminToken: string): Caller {
  if (!header) return { kind: 'anonymous' };
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  // Not a bearer token at all (say, Basic auth): as good as none, so the 401 explains what to send.
  if (!match) return { kind: 'anonymous' };
  const token = match[1]!;
  // An API key cannot be the admin token (unless someone chose one that looks like a key),
  // so the invoke path skips hashing it for the comparison.
  if (token.startsWith(API_KEY_PREFIX) && !adminToken.startsWith(API_KEY_PREFIX)) return { kind: 'bearer', token };
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
