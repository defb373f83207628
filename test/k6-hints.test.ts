/**
 * End to end: a scenario written with a k6 user's habits is refused with 104
 * before any request, every k6 spelling reported at once with the novaload
 * way written out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

test('a k6-style file exits 104 naming maxVUs, latency.p95, errorRate and the window abortOnFail needs; nothing is sent', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'k6.json', {
      target: server.url,
      executor: 'constant-arrival-rate',
      rate: 5,
      duration: '1s',
      preAllocatedVUs: 10,
      requests: [{ path: '/' }],
      thresholds: {
        http_req_duration: ['p(95)<500'],
        http_req_failed: ['rate<0.01'],
        'latency.p99': { critical: '<1s', abortOnFail: true },
      },
    });
    const r = await runCli(['run', file, '--threads', '1', '--quiet']);
    assert.equal(r.code, 104, r.stderr);
    for (const line of [
      '$.preAllocatedVUs: unknown field "preAllocatedVUs" (did you mean "maxVUs"?',
      '$.thresholds.http_req_duration: "http_req_duration" is k6\'s name for a metric (novaload calls it latency.p95: write "latency.p95": "<500ms")',
      '$.thresholds.http_req_failed: "http_req_failed" is k6\'s name for a metric (novaload calls it errorRate: write "errorRate": "<1%")',
      '$.thresholds["latency.p99"].abortOnFail: needs "for" beside it (without "for" a level is judged once, on the whole run, at its end;',
    ]) assert.ok(r.stderr.includes(line), `missing: ${line}\n${r.stderr}`);
    assert.equal(server.seen.length, 0);
  } finally {
    await server.close();
  }
});
