import type { Json } from '@plinth/shared';

export interface SnippetInput {
  url: string;
  /** The API key, or null: the snippets then read it from the `PLINTH_API_KEY` environment variable. */
  key: string | null;
  input: Json;
}

/** The environment variable the snippets read the key from when the panel has none to show. */
export const KEY_VARIABLE = 'PLINTH_API_KEY';

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** Double quotes, so `$PLINTH_API_KEY` expands; anything else the shell would read is escaped. */
const shellDoubleQuote = (s: string) => `"${s.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`;

/** How to call a published graph, in the three ways people actually do. */
export function curlSnippet({ url, key, input }: SnippetInput): string {
  return [
    `curl -sS -X POST ${shellQuote(url)} \\`,
    `  -H ${key === null ? `"Authorization: Bearer $${KEY_VARIABLE}"` : shellDoubleQuote(`Authorization: Bearer ${key}`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(JSON.stringify(input))}`,
  ].join('\n');
}

export function pythonSnippet({ url, key, input }: SnippetInput): string {
  const auth = key === null ? `f"Bearer {os.environ['${KEY_VARIABLE}']}"` : JSON.stringify(`Bearer ${key}`);
  return [
    ...(key === null ? ['import os', ''] : []),
    'import requests',
    '',
    'response = requests.post(',
    `    ${JSON.stringify(url)},`,
    `    headers={"Authorization": ${auth}},`,
    `    json=${toPython(input)},`,
    '    timeout=30,',
    ')',
    'response.raise_for_status()',
    'print(response.headers["Plinth-Version"], response.json())',
  ].join('\n');
}

export function fetchSnippet({ url, key, input }: SnippetInput): string {
  const auth = key === null ? `\`Bearer \${${KEY_VARIABLE}}\`` : JSON.stringify(`Bearer ${key}`);
  return [
    ...(key === null ? [`const ${KEY_VARIABLE} = '…'; // your API key`] : []),
    `const response = await fetch(${JSON.stringify(url)}, {`,
    "  method: 'POST',",
    `  headers: { Authorization: ${auth}, 'Content-Type': 'application/json' },`,
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
