/**
 * End to end: a request named "GET /api/ratings/{id}" (a natural name that
 * holds "}") can be gated on with a quoted tag, and the gate is judged on what
 * the loopback server's delay made of it; the unquoted key is refused before
 * any request with the quoted key to write.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

const RATINGS = 'GET /api/ratings/{id}';

const scenario = (url: string, thresholds: Record<string, unknown>) => ({
  name: 'ratings',
  target: url,
  executor: 'constant-vus',
  vus: 2,
  duration: '1s',
  requests: [{ name: RATINGS, path: '/api/ratings/7' }, { name: 'home', path: '/' }],
  thresholds,
});

test('a quoted {request="GET /api/ratings/{id}"} threshold is judged on that request: exit 99 when its p50 is over the bound, 0 when under', async () => {
  const server = await startServer((req) => ({ delayMs: req.url.startsWith('/api/ratings/') ? 30 : 0 }));
  try {
    const dir = await tempDir();
    const key = `latency.p50{request="${RATINGS}"}`;
    const failing = await writeScenario(dir, 'fail.json', scenario(server.url, { [key]: '<20ms', 'latency.p50{request=home}': '<20ms' }));
    const r1 = await runCli(['run', failing, '--threads', '1', '--quiet', '--out', join(dir, 'fail-out.json')]);
    assert.equal(r1.code, 99, r1.stderr);
    const rep = JSON.parse(await readFile(join(dir, 'fail-out.json'), 'utf8'));
    const ratings = rep.endpoints.find((e: { name: string }) => e.name === RATINGS);
    const seen = server.seen.filter((s) => s.url === '/api/ratings/7').length;
    assert.ok(ratings.totals.requests > 0 && ratings.totals.requests <= seen, `${ratings.totals.requests} reported, ${seen} seen`);
    assert.deepEqual(rep.thresholds.map((t: { metric: string; ok: boolean }) => [t.metric, t.ok]), [[key, false], ['latency.p50{request=home}', true]]);
    assert.equal(rep.thresholds[0].value, ratings.latency.p50);
    assert.ok(rep.thresholds[0].value >= 30, `p50 ${rep.thresholds[0].value} ms under the server's 30 ms delay`);
    assert.ok(r1.stdout.includes(key), 'the text summary prints the key as written');
    const passing = await writeScenario(dir, 'pass.json', scenario(server.url, { [key]: '<5s' }));
    const r2 = await runCli(['run', passing, '--threads', '1', '--quiet']);
    assert.equal(r2.code, 0, r2.stderr);
  } finally {
    await server.close();
  }
});

test('the unquoted key is refused with 104 before any request, and the message gives the quoted key', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'bad.json', scenario(server.url, { [`latency.p95{request=${RATINGS}}`]: '<500ms' }));
    const r = await runCli(['run', file, '--threads', '1', '--quiet']);
    assert.equal(r.code, 104, r.stderr);
    assert.ok(r.stderr.includes(`request name "${RATINGS}" holds "}" and is not quoted`), r.stderr);
    assert.ok(r.stderr.includes('in the JSON file write "latency.p95{request=\\"GET /api/ratings/{id}\\"}"'), r.stderr);
    assert.equal(server.seen.length, 0);
  } finally {
    await server.close();
  }
});
