/** What pip said that a person needs: its `ERROR:` lines, and why the index could not be reached. */
import { normalisePackageName, requirementName } from '@plinth/shared';

/** pip's last `ERROR:` lines (or, when it printed none, its last lines), oldest first. */
export function pipErrorLines(output: string, max = 4): string[] {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  const errors = lines.filter((line) => line.startsWith('ERROR:'));
  return (errors.length > 0 ? errors : lines).slice(-max);
}

/**
 * Why pip could not talk to the index, from its retry warnings (`Connection refused`,
 * `Name or service not known`, a read timeout), or null when it could.
 */
export function unreachableReason(output: string): string | null {
  const refused = /Failed to establish a new connection: ([^'")]+)/.exec(output);
  if (refused) return refused[1]!.trim();
  const other =
    /(Read timed out|Connection timed out|Temporary failure in name resolution|Name or service not known|SSLError\([^\n]{0,200})/.exec(
      output,
    );
  return other ? other[1]!.trim() : null;
}

/** The requirements pip's error lines mention by name; all of them when it names none. */
export function culprits(requirements: readonly string[], errorLines: readonly string[]): string[] {
  const said = normalisePackageName(errorLines.join(' '));
  const named = requirements.filter((requirement) => {
    const name = requirementName(requirement);
    return name !== null && new RegExp(`(^|[^a-z0-9-])${escapeRegExp(name)}($|[^a-z0-9-])`).test(said);
  });
  return named.length > 0 ? named : [...requirements];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
