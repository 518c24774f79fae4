#!/usr/bin/env node
// `npx plinth ...`: runs the TypeScript CLI with tsx, as `npm start` runs the server.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/cli/plinth.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2), process.env);
