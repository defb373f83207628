/**
 * End to end: `novaload bench` (closed and rate mode, headers and body),
 * `novaload demo`, and `novaload validate` on the shipped profiles.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir } from './helpers/cli.js';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));

test('bench: -c connections for -d, counts equal the server, headers and body sent', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const r = await runCli(['bench', `${server.url}/ping?x=1`, '-c', '4', '-d', '1s', '-m', 'POST', '-H', 'x-test: yes', '-b', 'hello', '--threads', '1', '--quiet', '--out', join(dir, 'b.json')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'b.json'), 'utf8'));
    assert.equal(report.totals.requests, server.seen.length);
    assert.ok(server.seen.length > 50);
    assert.ok(server.seen.every((s) => s.method === 'POST' && s.url === '/ping?x=1' && s.body === 'hello'));
    assert.equal(new Set(server.seen.map((s) => s.remotePort)).size, 4);
    assert.match(r.stdout, /Requests\/Second/);
  } finally {
    await server.close();
  }
});

test('bench -R: a fixed rate reaches the server exactly', async () => {
  const server = await startServer();
  try {
    const r = await runCli(['bench', server.url, '-R', '300', '-d', '2s', '-c', '10', '--threads', '2', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.seen.length, 600);
  } finally {
    await server.close();
  }
});

test('demo: embedded API, short normal profile, report printed, exit 0', async () => {
  const r = await runCli(['demo', '--duration', '3s', '--threads', '1'], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /demo API listening on http:\/\/127\.0\.0\.1:\d+/);
  assert.match(r.stdout, /Total Requests/);
  assert.match(r.stdout, /list-tasks|\/api\/tasks/);
});

test('validate: the shipped profiles are valid', async () => {
  const r = await runCli(['validate', join(SCENARIOS, 'normal.json'), join(SCENARIOS, 'peak.json'), join(SCENARIOS, 'stress.json')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 3);
});
