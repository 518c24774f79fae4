/**
 * The one error vocabulary of Plinth. The runtime produces these, the REST API
 * sends them as `{"error": {...}}` with the matching status, the IDE shows them.
 */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_json: 400,
  invalid_document: 400,
  invalid_input: 400,
  /** A model package that cannot be deployed: every problem is listed. */
  invalid_package: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  revision_mismatch: 412,
  payload_too_large: 413,
  /** Runs started workers for cold pools too often (a caller cycling versions): try again (Retry-After). */
  too_many_starts: 429,
  header_too_large: 431,
  node_failed: 422,
  invalid_output: 422,
  invalid_branch: 422,
  model_unavailable: 422,
  // The document is well-formed, but a node's `requirements` cannot be installed (no such
  // package or version, the index cannot be reached): like a failing node, not a bad document.
  requirements_failed: 422,
  /** A model's predict (or pre/postprocess) raised. */
  model_failed: 422,
  /** A model version is still building or loading: try again (Retry-After). */
  model_loading: 503,
  /** A prediction did not return within its timeout; the worker was replaced. */
  model_timeout: 504,
  worker_crashed: 502,
  node_timeout: 504,
  sandbox_unavailable: 503,
  /** PostgreSQL restarted or a connection was lost: try again (Retry-After); the server reconnects by itself. */
  database_unavailable: 503,
  /** A pool's queue is full or a request waited too long for a worker: try again (Retry-After). */
  overloaded: 503,
  /** The caller disconnected before its request could run; never sent, only counted. */
  client_closed: 499,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** One thing wrong with a document or input, located as precisely as we can. */
export interface Problem {
  /** Where: a JSON-pointer-like path such as `nodes[2].code` or `edges[0].target`. */
  path: string;
  /** The node the problem belongs to, when there is one. */
  nodeId?: string;
  message: string;
}

/** An error a person can act on; serialisable as-is. */
export interface PlinthErrorBody {
  code: ErrorCode;
  message: string;
  nodeId?: string;
  problems?: Problem[];
  [detail: string]: unknown;
}

export class PlinthError extends Error {
  readonly code: ErrorCode;
  readonly details: Omit<PlinthErrorBody, 'code' | 'message'>;

  constructor(code: ErrorCode, message: string, details: Omit<PlinthErrorBody, 'code' | 'message'> = {}) {
    super(message);
    this.name = 'PlinthError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): PlinthErrorBody {
    return { code: this.code, message: this.message, ...this.details };
  }
}
