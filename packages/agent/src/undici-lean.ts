/**
 * undici's Client and Pool without its index. `import 'undici'` loads every
 * part of undici (fetch, WebSocket, cookies, caches, mocks) and with it
 * Node's own bundled undici: ~160 ms of CPU per thread here, against ~48 ms
 * for the two dispatchers the engine uses. undici is pinned to an exact
 * version (package.json), and test/undici-lean.test.ts fails if these paths
 * stop being the very classes undici exports.
 */
import { createRequire } from 'node:module';
import type { Client as UndiciClient, Pool as UndiciPool } from 'undici';

const require = createRequire(import.meta.url);

export const Client = require('undici/lib/dispatcher/client.js') as typeof UndiciClient;
export const Pool = require('undici/lib/dispatcher/pool.js') as typeof UndiciPool;

/**
 * undici's `request()` API, which its index puts on every dispatcher: here
 * called on one (`request.call(pool, options)`). The controller's remote
 * write posts with it.
 */
export const request = require('undici/lib/api/api-request.js') as (this: InstanceType<typeof UndiciPool>, options: Parameters<InstanceType<typeof UndiciPool>['request']>[0]) => ReturnType<InstanceType<typeof UndiciPool>['request']>;
