import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Client, Pool } from '../src/undici-lean.js';

test('the lean undici imports are the very Client and Pool classes undici exports (a moved path fails here)', async () => {
  const undici = await import('undici');
  assert.equal(Client, undici.Client);
  assert.equal(Pool, undici.Pool);
});

test('loading the engine\'s HTTP side does not load undici\'s index (nor Node\'s bundled undici)', async () => {
  const { execFileSync } = await import('node:child_process');
  const http = new URL('../src/http.js', import.meta.url).href;
  const script = `await import(${JSON.stringify(http)}); const { createRequire } = await import('node:module');
    const cache = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ index: cache.filter((k) => /undici[\\\\/]index\\.js$/.test(k)), client: cache.some((k) => /dispatcher[\\\\/]client\\.js$/.test(k)) }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as { index: string[]; client: boolean };
  assert.equal(out.client, true, 'the Client module is loaded');
  assert.deepEqual(out.index, []);
});
