/**
 * A node's requirement lines as pip reads them from a requirements file: trimmed, without
 * blank lines and comments (a whole-line `#`, or ` #` after the requirement), without
 * duplicates, sorted. Two nodes whose lists normalise alike share one virtualenv on the
 * server and one set of wheels in the browser preview.
 */
export function normaliseRequirements(requirements: readonly string[]): string[] {
  const lines = requirements
    .flatMap((entry) => entry.split(/\r?\n/))
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
  return [...new Set(lines)].sort();
}

/** `Foo.Bar_baz[extra]>=1` → `foo-bar-baz`: the name as PEP 503 compares it, or null for an option line. */
export function requirementName(requirement: string): string | null {
  const match = /^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)/.exec(requirement);
  return match ? normalisePackageName(match[1]!) : null;
}

/** PEP 503: lower case, runs of `-`, `_` and `.` become one `-`. */
export function normalisePackageName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
