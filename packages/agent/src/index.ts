export * from './scenario.js';
export * from './share.js';
export * from './messages.js';
export * from './split.js';
export * from './data.js';
export type { DataStats, Row } from './data-source.js';
export * from './arrivals.js';
export * from './ramp.js';
export * from './errors.js';
export * from './executors/types.js';
export * from './executors/registry.js';
export * from './local-pool.js';
export * from './remote/protocol.js';
export * from './remote/heartbeat.js';
// The remote agent's client (it loads ws) is its own entry, '@novaload/agent/remote-client', so local runs never load it.
export * from './hosts.js';
export * from './limits.js';
export * from './user-agent.js';
