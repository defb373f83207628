export * from './types.js';
export * from './duration.js';
export * from './suggest.js';
export * from './threshold-parse.js';
export * from './histogram.js';
