import type { PlinthErrorBody } from '@plinth/shared';

/** The Plinth error carried by a failed tRPC call (`error.data.plinth`), if any. */
export function plinthError(error: unknown): PlinthErrorBody | null {
  if (typeof error !== 'object' || error === null) return null;
  const data = (error as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return null;
  const plinth = (data as { plinth?: unknown }).plinth;
  if (typeof plinth !== 'object' || plinth === null) return null;
  const body = plinth as Partial<PlinthErrorBody>;
  return typeof body.code === 'string' && typeof body.message === 'string' ? (body as PlinthErrorBody) : null;
}

/** The tRPC error code (`UNAUTHORIZED`, ...), if any. */
export function trpcCode(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const data = (error as { data?: { code?: unknown } }).data;
  return typeof data?.code === 'string' ? data.code : null;
}

export function isUnauthorized(error: unknown): boolean {
  const code = plinthError(error)?.code;
  return code === 'unauthorized' || code === 'forbidden' || trpcCode(error) === 'UNAUTHORIZED';
}

/** A message a person can act on, with every listed problem. */
export function errorMessage(error: unknown): string {
  const body = plinthError(error);
  if (body !== null) {
    const problems = body.problems ?? [];
    if (problems.length === 0) return body.message;
    return [body.message, ...problems.map((p) => `• ${p.nodeId ? `${p.nodeId}: ` : ''}${p.message} (${p.path})`)].join(
      '\n',
    );
  }
  if (error instanceof Error) {
    if (error.message === 'Failed to fetch') return 'Cannot reach the Plinth server. Is it running?';
    return error.message;
  }
  return String(error);
}
