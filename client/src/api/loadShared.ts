/**
 * `@plinth/shared`'s runtime (the validator and executor, with zod and ajv) is the
 * largest part of the editor's code and nothing needs it to draw the first canvas:
 * it loads right after, and code that needs it awaits this.
 */
export type SharedModule = typeof import('@plinth/shared');

let loading: Promise<SharedModule> | null = null;
let loaded: SharedModule | null = null;

export function loadShared(): Promise<SharedModule> {
  loading ??= import('@plinth/shared').then((mod) => {
    loaded = mod;
    return mod;
  });
  return loading;
}

/** The module if it has loaded already, else null (and starts loading it). */
export function sharedIfLoaded(): SharedModule | null {
  if (loaded === null) void loadShared();
  return loaded;
}
