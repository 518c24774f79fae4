/**
 * @plinth/shared: the contract between Plinth's client and server. Schemas of every
 * document, the graph validator, and the executor (pure TypeScript, no I/O).
 */
export * from './graphSchema.ts';
export * from './traceSchema.ts';
export * from './errors.ts';
export * from './jsonLimits.ts';
export * from './nodeRunner.ts';
export { validateGraph, type ValidationResult } from './validateGraph.ts';
export { validateInput } from './validateInput.ts';
export { compileSchema, schemaProblems } from './jsonSchema.ts';
export { executionOrder, runGraph, type RunOptions } from './runGraph.ts';
export * from './planGraph.ts';
export * from './apiSchemas.ts';
export * from './runRecord.ts';
export * from './requirements.ts';
export * from './modelConfig.ts';
