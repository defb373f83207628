/**
 * End to end: the real CLI against a counting loopback server. What the
 * report says must be what the server saw, and p50 must sit on its delay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

test('closed model: reported counts equal the server count, p50 sits on a 20 ms delay, JSON and CSV written', async () => {
  const server = await startServer(() => ({ delayMs: 20 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'steady.json', {
      name: 'steady',
      target: server.url,
      executor: 'constant-vus',
      vus: 6,
      duration: '2s',
      requests: [
        { name: 'list', method: 'GET', path: '/api/tasks', weight: 3 },
        { name: 'create', method: 'POST', path: '/api/tasks', json: { name: 'test' }, weight: 1 },
      ],
      thresholds: { 'latency.p50': { critical: '<1s' } },
    });
    const r = await runCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json'), '--csv', join(dir, 'r.csv')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.version, 1);
    assert.equal(report.totals.requests, server.seen.length);
    assert.equal(report.totals.ok, server.seen.length);
    assert.equal(report.totals.failed, 0);
    const byName = Object.fromEntries(report.endpoints.map((e: { name: string; totals: { requests: number } }) => [e.name, e.totals.requests]));
    assert.equal(byName.list, server.seen.filter((s) => s.method === 'GET').length);
    assert.equal(byName.create, server.seen.filter((s) => s.method === 'POST').length);
    assert.ok(server.seen.filter((s) => s.method === 'POST').every((s) => JSON.parse(s.body).name === 'test'));
    // 6 VUs × 2 s at ~20 ms each: ~600 requests; allow a slow shared machine.
    assert.ok(report.totals.requests > 200, `only ${report.totals.requests} requests`);
    assert.ok(report.latency.p50 >= 20 && report.latency.p50 < 24, `p50 ${report.latency.p50} ms vs a 20 ms server`);
    assert.ok(report.latency.p50 >= report.serviceTime.p50 - 0.001);
    assert.ok(report.ttfb.p50 >= 20);
    assert.equal(report.verdict, 'pass');
    assert.ok(report.timeline.length >= 2);
    assert.equal(report.timeline.reduce((n: number, p: { requests: number }) => n + p.requests, 0), report.totals.requests);
    const csv = await readFile(join(dir, 'r.csv'), 'utf8');
    assert.match(csv, /\(all\)/);
    const timeline = await readFile(join(dir, 'r.timeline.csv'), 'utf8');
    assert.ok(timeline.trim().split('\n').length >= 3);
    assert.match(r.stdout, /Total Requests/);
  } finally {
    await server.close();
  }
});

test('errors are counted under stable kinds and failed equals their sum', async () => {
  const server = await startServer((_req, i) => (i % 4 === 0 ? { status: 503 } : {}));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'errs.json', {
      name: 'errs',
      target: server.url,
      executor: 'constant-vus',
      vus: 2,
      duration: '1s',
      requests: [{ path: '/x' }],
    });
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.totals.requests, server.seen.length);
    assert.equal(report.errors.HTTP_503, Math.ceil(server.seen.length / 4));
    assert.equal(report.totals.failed, Object.values(report.errors as Record<string, number>).reduce((a, b) => a + b, 0));
  } finally {
    await server.close();
  }
});
