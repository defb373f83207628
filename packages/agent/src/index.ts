export * from './scenario.js';
export * from './share.js';
export * from './messages.js';
