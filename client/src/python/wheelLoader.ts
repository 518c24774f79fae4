/**
 * Loads pure-Python wheels into Pyodide: fetched from the Plinth server (the app's own origin,
 * never a package index or CDN) and unpacked into site-packages. pip on the server has already
 * resolved the exact set, so there is nothing left to resolve here (see README.md).
 */
import type { WheelToLoad } from './protocol.ts';
import type { PythonSession } from './pythonSession.ts';
import { authorization, cannotLoad } from './requirementsPlan.ts';

export interface WheelSource {
  /** Base the wheels' URLs are relative to: the page's origin in the worker. */
  baseUrl: string;
  token: string | null;
}

/** Loads each wheel not loaded yet; answers a line per wheel that could not be loaded. */
export async function loadWheels(
  python: PythonSession,
  wheels: readonly WheelToLoad[],
  source: WheelSource,
): Promise<string[]> {
  const notes: string[] = [];
  for (const wheel of wheels) {
    const loaded = python.loadedVersion(wheel.name);
    if (loaded === wheel.version) continue;
    if (loaded !== undefined) {
      const why =
        `${wheel.name} ${loaded} is already loaded for another node, and one browser Python holds one ` +
        `version of a package (reload the page to load ${wheel.version})`;
      notes.push(cannotLoad(wheel.label, why));
      continue;
    }
    try {
      const response = await fetchOnceMore(new URL(wheel.url, source.baseUrl), authorization(source.token));
      if (!response.ok)
        throw new Error(`the server answered ${response.status} ${response.statusText} for ${wheel.url}`);
      python.installWheel(wheel, new Uint8Array(await response.arrayBuffer()));
    } catch (err) {
      notes.push(cannotLoad(wheel.label, err instanceof Error ? err.message : String(err)));
    }
  }
  python.refreshSitePackages();
  return notes;
}

/** A GET that failed at the network level (say, on a keep-alive connection the server just closed) is tried again once. */
async function fetchOnceMore(url: URL, headers: Record<string, string>): Promise<Response> {
  try {
    return await fetch(url, { headers });
  } catch {
    return fetch(url, { headers });
  }
}
