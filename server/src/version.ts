import { readFileSync } from 'node:fs';

/** The server package's version, as `system.info` and the start-up banner report it. */
export const SERVER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
