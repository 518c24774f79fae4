/** Test data shared by the workspaces' tests (`@plinth/shared/testing`); never used at run time. */
export { routingGraph } from './graphs.ts';
export { PARITY_CORPUS, type ParityCase } from './parityCorpus.ts';
