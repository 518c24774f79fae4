/**
 * What a node's requirements mean for the browser preview. The server resolves the list with
 * pip, exactly as for publishing (`POST /api/v1/environments`), and keeps the wheels pip used;
 * the preview loads the pure-Python ones from there. Whatever cannot be loaded is said plainly.
 */
import {
  normalisePackageName,
  normaliseRequirements,
  requirementName,
  type EnvironmentAnswer,
  type EnvironmentWheel,
} from '@plinth/shared';
import type { WheelToLoad } from './protocol.ts';

const REFERENCE = 'The server run is the reference.';

export interface RequirementsPlan {
  /** Pure-Python wheels to load into Pyodide, from the app's own origin. */
  load: WheelToLoad[];
  /** One line per requirement (or dependency) that cannot be loaded, and why. */
  notes: string[];
  /** The server resolved the list (worth remembering); false when it could not (worth asking again). */
  resolved: boolean;
}

export interface ServerAccess {
  /** The Plinth server's origin; the page's own by default. */
  baseUrl?: string;
  token: string | null;
}

/** Asks the server to resolve the list (it builds the venv if needed) and plans the browser's part. */
export async function planRequirements(
  requirements: readonly string[],
  access: ServerAccess,
): Promise<RequirementsPlan> {
  const list = normaliseRequirements(requirements);
  if (list.length === 0) return { load: [], notes: [], resolved: true };
  let response: Response;
  try {
    response = await fetch(`${access.baseUrl ?? ''}/api/v1/environments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...authorization(access.token) },
      body: JSON.stringify({ requirements: list }),
    });
  } catch (err) {
    return unavailable(list, `the server could not be reached (${err instanceof Error ? err.message : String(err)})`);
  }
  const text = await response.text();
  if (!response.ok) return unavailable(list, serverMessage(text, response), true);
  return planFromAnswer(list, JSON.parse(text) as EnvironmentAnswer);
}

/** Pure wheels load; a compiled one is named with the requirement it serves, or as a dependency. */
export function planFromAnswer(list: readonly string[], answer: EnvironmentAnswer): RequirementsPlan {
  const byName = new Map(list.map((requirement) => [requirementName(requirement), requirement]));
  const load: WheelToLoad[] = [];
  const notes: string[] = [];
  for (const wheel of answer.wheels) {
    const requirement = byName.get(normalisePackageName(wheel.name));
    const label = requirement ?? `${wheel.name} ${wheel.version} (needed by ${list.join(', ')})`;
    if (wheel.pure) load.push({ url: wheel.url, name: wheel.name, version: wheel.version, label });
    else notes.push(cannotLoad(label, compiled(wheel)));
  }
  return { load, notes, resolved: true };
}

function compiled(wheel: EnvironmentWheel): string {
  return (
    `${wheel.name} ${wheel.version} is a compiled package (${wheel.file}), and the preview can load ` +
    'only pure-Python wheels (Pyodide needs WebAssembly builds, which this app does not ship).'
  );
}

/** The whole list, when the server could not resolve it; the requirements its message names come first. */
function unavailable(list: readonly string[], why: string, fromServer = false): RequirementsPlan {
  const named = fromServer ? list.filter((requirement) => why.includes(requirement)) : [];
  const subjects = named.length > 0 ? named : list;
  return { load: [], notes: subjects.map((requirement) => cannotLoad(requirement, why)), resolved: false };
}

function serverMessage(text: string, response: Response): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') return `the server says: ${parsed.error.message}`;
  } catch {
    // not JSON: fall through to the status line
  }
  return `the server answered ${response.status} ${response.statusText}`.trim();
}

/** `numpy==2.3.1 could not be loaded in the browser preview: <why>. The server run is the reference.` */
export function cannotLoad(subject: string, why: string): string {
  return `${subject} could not be loaded in the browser preview: ${why}${/[.!?]$/.test(why) ? '' : '.'} ${REFERENCE}`;
}

export function authorization(token: string | null): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}
