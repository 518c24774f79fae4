import type { GraphDocument } from '@plinth/shared';

/** The exact document as a file: stable two-space JSON with a trailing newline. */
export function exportGraphText(document: GraphDocument): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
