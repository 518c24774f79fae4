import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import type { Problem } from './errors.ts';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const MAX_CACHED = 256;
const cache = new Map<string, { validate?: ValidateFunction; error?: string }>();

/** Compiles a JSON Schema once per distinct schema text; a bad schema yields `error`. */
export function compileSchema(schema: object): { validate?: ValidateFunction; error?: string } {
  const key = JSON.stringify(schema);
  let entry = cache.get(key);
  if (!entry) {
    try {
      entry = { validate: ajv.compile(schema) };
    } catch (err) {
      entry = { error: err instanceof Error ? err.message : String(err) };
    }
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(key, entry);
  }
  return entry;
}

/** Validates `value` against `schema`, each failure located under `root` (e.g. `input.amount`). */
export function schemaProblems(schema: object, value: unknown, root: string): Problem[] {
  const { validate, error } = compileSchema(schema);
  if (!validate) return [{ path: root, message: `the schema itself is invalid: ${error}` }];
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => {
    const path = root + e.instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
    const missing = e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : undefined;
    return missing
      ? { path: `${path}.${missing}`, message: `${path}.${missing} is required` }
      : { path, message: `${path} ${e.message ?? 'is invalid'}` };
  });
}
