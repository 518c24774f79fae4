/**
 * The document's fixed limits and name rules, with no dependencies, so the IDE's first
 * screen can use them (`@plinth/shared/limits`) without loading zod and Ajv.
 */
export const GRAPH_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
export const NODE_ID_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;
export const DEFAULT_NODE_TIMEOUT_MS = 5000;
/** Secret names are what node code writes in `ctx.secrets["NAME"]`. */
export const SECRET_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Shorter values could not be masked in logs and tracebacks without masking ordinary text. */
export const MIN_SECRET_LENGTH = 4;
export const MAX_NODE_TIMEOUT_MS = 300_000;
/** The longest release note a published version keeps. */
export const MAX_RELEASE_NOTE_LENGTH = 2000;
