/**
 * Scenario files: load, validate and resolve them for the load engine.
 * The CLI imports from here; the files behind it are details.
 */
export { loadFile, loadFiles, loadScenario, loadScenarios } from './load.js';
export { isRunFile, resolveRunFile, type ResolvedRun, type Workload } from './run-file.js';
export { resolveScenario, type ResolveOptions } from './resolve.js';
export type { Overrides } from './overrides.js';
export { InputError, formatProblems, type Problem } from './problems.js';
