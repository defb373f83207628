/**
 * End to end: what each request carries and when it goes out, as the
 * server records it — a request's own settings beat the scenario's
 * (content-type of json), the default User-Agent and its overrides, and
 * per-step think time in a sequence — plus validate's errors for a bad
 * step thinkTime.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type Seen, type TestServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

const AGENT_PACKAGE = new URL('../../packages/agent/package.json', import.meta.url);

/** Run `sc` (target filled in) on one thread, quietly; exit code 0 expected. */
async function run(server: TestServer, sc: Record<string, unknown>): Promise<void> {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'settings.json', { name: 'settings', target: server.url, executor: 'constant-vus', vus: 1, ...sc });
  const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
}

/** The first request the server saw on `path`. */
function first(server: TestServer, path: string): Seen {
  const seen = server.seen.find((s) => s.url === path);
  assert.ok(seen, `the server saw ${path}`);
  return seen;
}

test("a request's json is sent as application/json over the scenario's content-type, unless its own headers say otherwise", { timeout: 30_000 }, async () => {
  const server = await startServer();
  try {
    await run(server, {
      duration: '300ms',
      flow: 'sequence',
      http: { headers: { 'Content-Type': 'text/plain' } },
      requests: [
        { name: 'json', method: 'POST', path: '/json', json: { a: 1 } },
        { name: 'own', method: 'POST', path: '/own', json: { a: 2 }, headers: { 'CONTENT-TYPE': 'application/vnd.api+json' } },
        { name: 'body', method: 'POST', path: '/body', body: 'plain' },
      ],
    });
    assert.equal(first(server, '/json').headers['content-type'], 'application/json');
    assert.equal(first(server, '/json').body, '{"a":1}');
    assert.equal(first(server, '/own').headers['content-type'], 'application/vnd.api+json');
    assert.equal(first(server, '/body').headers['content-type'], 'text/plain', 'a raw body keeps the scenario-wide type');
  } finally {
    await server.close();
  }
});

test('User-Agent is novaload/<version> unless the scenario or the request sets it, in any case', { timeout: 30_000 }, async () => {
  const { version } = JSON.parse(await readFile(AGENT_PACKAGE, 'utf8')) as { version: string };
  const server = await startServer();
  try {
    const requests = [
      { name: 'plain', path: '/plain' },
      { name: 'own', path: '/own', headers: { 'USER-AGENT': 'mine/1' } },
    ];
    await run(server, { duration: '300ms', flow: 'sequence', requests });
    assert.equal(first(server, '/plain').headers['user-agent'], `novaload/${version}`);
    assert.equal(first(server, '/own').headers['user-agent'], 'mine/1');
    server.seen.length = 0;
    await run(server, { duration: '300ms', flow: 'sequence', http: { headers: { 'user-Agent': 'scenario/2' } }, requests });
    assert.equal(first(server, '/plain').headers['user-agent'], 'scenario/2');
    assert.equal(first(server, '/own').headers['user-agent'], 'mine/1');
  } finally {
    await server.close();
  }
});

test("per-step thinkTime in a sequence: \"0\" goes on at once, a step's own pause replaces the scenario's, the others keep it", { timeout: 30_000 }, async (t) => {
  const server = await startServer();
  const durationMs = 2500;
  try {
    await run(server, {
      duration: `${durationMs}ms`,
      gracefulStop: '2s',
      flow: 'sequence',
      thinkTime: '600ms',
      requests: [
        { name: 'open', path: '/open', thinkTime: '0' },
        { name: 'browse', path: '/browse', thinkTime: '200ms' },
        { name: 'buy', path: '/buy' },
      ],
    });
    const gaps: Record<string, number[]> = { '/open': [], '/browse': [], '/buy': [] };
    const start = server.seen[0].at;
    server.seen.forEach((s, i) => {
      const next = server.seen[i + 1];
      // The plan's end cuts think time short; only pauses that ended well inside the plan are judged.
      if (next && next.at - start < durationMs - 300) gaps[s.url].push(next.at - s.at);
    });
    t.diagnostic(`gaps after each step (ms): ${JSON.stringify(Object.fromEntries(Object.entries(gaps).map(([k, v]) => [k, v.map((g) => Math.round(g))])))}`);
    for (const [step, list] of Object.entries(gaps)) assert.ok(list.length >= 1, `a pause after ${step} inside the plan`);
    for (const g of gaps['/open']) assert.ok(g < 150, `after "0": ${g} ms, far below any think time`);
    for (const g of gaps['/browse']) assert.ok(g >= 200 && g < 550, `after its own 200ms: ${g} ms, not the scenario's 600`);
    for (const g of gaps['/buy']) assert.ok(g >= 600, `after the scenario's 600ms: ${g} ms`);
  } finally {
    await server.close();
  }
});

test('validate names a bad step thinkTime at its path', { timeout: 30_000 }, async () => {
  const dir = await tempDir();
  const closed = await writeScenario(dir, 'closed.json', {
    target: 'http://127.0.0.1:1',
    executor: 'constant-vus',
    vus: 1,
    duration: '1s',
    flow: 'sequence',
    requests: [
      { path: '/a', thinkTime: 'soon' },
      { path: '/b', thinkTime: { min: '2s', max: '1s' } },
      { path: '/c', thinkTime: { min: '1s' } },
    ],
  });
  const open = await writeScenario(dir, 'open.json', { target: 'http://127.0.0.1:1', executor: 'constant-arrival-rate', rate: 10, duration: '1s', requests: [{ path: '/a', thinkTime: '1s' }] });
  const r = await runCli(['validate', closed, open], { timeoutMs: 30_000 });
  assert.equal(r.code, 104, r.stderr);
  const out = r.stdout + r.stderr;
  assert.match(out, /\$\.requests\[0\]\.thinkTime: .*soon/);
  assert.match(out, /\$\.requests\[1\]\.thinkTime: min \(2s\) is longer than max \(1s\)/);
  assert.match(out, /\$\.requests\[2\]\.thinkTime.*max/);
  assert.match(out, /open\.json: \$\.requests\[0\]\.thinkTime: does not apply to constant-arrival-rate/);
});
