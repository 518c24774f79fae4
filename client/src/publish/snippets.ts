import type { Json } from '@plinth/shared';

/** The environment variable a snippet reads the API key from until the IDE has created one. */
export const API_KEY_ENV = 'PLINTH_API_KEY';

export interface SnippetInput {
  url: string;
  /** The API key, or null to read it from the environment variable {@link API_KEY_ENV} at run time. */
  key: string | null;
  input: Json;
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** How to call a published graph, in the three ways people actually do. */
export function curlSnippet({ url, key, input }: SnippetInput): string {
  return [
    `curl -sS -X POST ${shellQuote(url)} \\`,
    // Double quotes, so that the shell expands the variable (single quotes would send it literally).
    `  -H ${key === null ? `"Authorization: Bearer $${API_KEY_ENV}"` : shellQuote(`Authorization: Bearer ${key}`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(input))}`,
  ].join('\n');
}

export function pythonSnippet({ url, key, input }: SnippetInput): string {
  const bearer =
    key === null ? `"Bearer " + os.environ[${JSON.stringify(API_KEY_ENV)}]` : JSON.stringify(`Bearer ${key}`);
  return [
    ...(key === null ? ['import os', ''] : []),
    'import requests',
    '',
    'response = requests.post(',
    `    ${JSON.stringify(url)},`,
    `    headers={"Authorization": ${bearer}},`,
    `    json=${toPython(input)},`,
    '    timeout=30,',
    ')',
    'response.raise_for_status()',
    'print(response.headers["Plinth-Version"], response.json())',
  ].join('\n');
}

export function fetchSnippet({ url, key, input }: SnippetInput): string {
  const bearer = key === null ? `\`Bearer \${process.env.${API_KEY_ENV}}\`` : JSON.stringify(`Bearer ${key}`);
  return [
    `const response = await fetch(${JSON.stringify(url)}, {`,
    "  method: 'POST',",
    `  headers: { Authorization: ${bearer}, 'Content-Type': 'application/json' },`,
    `  body: JSON.stringify(${JSON.stringify(input)}),`,
    '});',
    'if (!response.ok) throw new Error((await response.json()).error.message);',
    "console.log(response.headers.get('Plinth-Version'), await response.json());",
  ].join('\n');
}

/** A JSON value as a Python literal. */
export function toPython(value: Json): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number' || typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(toPython).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}: ${toPython(v)}`)
    .join(', ')}}`;
}
