/**
 * End to end: every exit code a CI gate reads, and bad input named before a
 * single request leaves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closedPort, startServer } from './helpers/servers.js';
import { runCli, startCli, tempDir, writeScenario } from './helpers/cli.js';

const base = (url: string, extra: Record<string, unknown> = {}) => ({
  name: 'gate',
  target: url,
  executor: 'constant-vus',
  vus: 2,
  duration: '1s',
  requests: [{ name: 'home', path: '/' }],
  ...extra,
});

test('a failed critical threshold exits 99; warnings alone exit 0 with verdict warn', async () => {
  const server = await startServer(() => ({ delayMs: 15 }));
  try {
    const dir = await tempDir();
    const critical = await writeScenario(dir, 'c.json', base(server.url, { thresholds: { 'latency.p50{request=home}': { warning: '<1ms', critical: '<5ms' } } }));
    const r1 = await runCli(['run', critical, '--threads', '1', '--quiet', '--out', join(dir, 'c-out.json')]);
    assert.equal(r1.code, 99, r1.stderr);
    const rep1 = JSON.parse(await readFile(join(dir, 'c-out.json'), 'utf8'));
    assert.equal(rep1.verdict, 'fail');
    assert.deepEqual(rep1.thresholds.map((t: { level: string; ok: boolean }) => [t.level, t.ok]), [['warning', false], ['critical', false]]);
    const warning = await writeScenario(dir, 'w.json', base(server.url, { thresholds: { 'latency.p95': { warning: '<5ms', critical: '<2s' }, successRate: '>=99%' } }));
    const r2 = await runCli(['run', warning, '--threads', '1', '--quiet', '--out', join(dir, 'w-out.json')]);
    assert.equal(r2.code, 0, r2.stderr);
    const rep2 = JSON.parse(await readFile(join(dir, 'w-out.json'), 'utf8'));
    assert.equal(rep2.verdict, 'warn');
    assert.match(r2.stdout, /warn/i);
  } finally {
    await server.close();
  }
});

test('a scenario can gate on the generator itself: generatorUtilization over its bound exits 99', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'g.json', base(server.url, { thresholds: { generatorUtilization: { critical: '<0.0001%' } } }));
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'g-out.json')]);
    assert.equal(r.code, 99, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'g-out.json'), 'utf8'));
    assert.equal(report.thresholds[0].metric, 'generatorUtilization');
    assert.ok(report.thresholds[0].value > 0 && report.thresholds[0].value <= 100);
    assert.equal(report.thresholds[0].value, report.generator.utilizationMax * 100);
  } finally {
    await server.close();
  }
});

test('report files: an unwritable place is refused before any request (104); a write that fails at the end is named, exit 1', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'o.json', base(server.url));
    const r1 = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'no-such-dir', 'r.json')]);
    assert.equal(r1.code, 104);
    assert.match(r1.stderr, /--out .*no-such-dir.*cannot write there/);
    assert.equal(server.seen.length, 0);
    // A directory where the JSON file should go: the parent is writable, the rename at the end fails.
    const blocker = join(dir, 'r.json');
    await mkdir(join(blocker, 'inside'), { recursive: true });
    const r2 = await runCli(['run', file, '--threads', '1', '--quiet', '--out', blocker, '--csv', join(dir, 'r.csv')]);
    assert.equal(r2.code, 1, r2.stderr);
    assert.match(r2.stderr, /could not write the report .*r\.json/);
    assert.match(r2.stdout, /Total Requests/, 'the summary is still printed');
    assert.match(await readFile(join(dir, 'r.csv'), 'utf8'), /\(all\)/, 'the other files are still written');
  } finally {
    await server.close();
  }
});

test('invalid scenario: exit 104, every problem named with its path and a hint, nothing sent, no stack', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'bad.json', {
      ...base(server.url),
      duraton: '1s',
      stages: 'x',
      thresholds: { 'latncy.p95': '<1s', 'latency.p99': '<2 parsecs' },
      requests: [{ path: '/', methd: 'GET' }],
    });
    const r = await runCli(['run', file, '--quiet']);
    assert.equal(r.code, 104);
    assert.equal(server.seen.length, 0);
    assert.match(r.stderr, /duraton/);
    assert.match(r.stderr, /did you mean "?duration/);
    assert.match(r.stderr, /methd/);
    assert.match(r.stderr, /latncy/);
    assert.match(r.stderr, /did you mean "?latency/);
    assert.match(r.stderr, /parsecs/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const missing = await runCli(['run', join(dir, 'nope.json')]);
    assert.equal(missing.code, 104);
    assert.match(missing.stderr, /nope\.json/);
  } finally {
    await server.close();
  }
});

test('bad flags: exit 104 naming the flag, with a suggestion for a misspelt one', async () => {
  const r = await runCli(['bench', 'http://127.0.0.1:1/', '--conections', '5']);
  assert.equal(r.code, 104);
  assert.match(r.stderr, /--conections: did you mean --connections/);
  const d = await runCli(['bench', 'http://127.0.0.1:1/', '-d', '10 parsecs']);
  assert.equal(d.code, 104);
  assert.match(d.stderr, /duration/);
  const help = await runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /bench <url>/);
});

test('connection refused is counted as ECONNREFUSED, not a crash', async () => {
  const port = await closedPort();
  const dir = await tempDir();
  const file = await writeScenario(dir, 'refused.json', { ...base(`http://127.0.0.1:${port}`), thresholds: { errorRate: '<1%' } });
  const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')]);
  assert.equal(r.code, 99, r.stderr);
  const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
  assert.ok(report.errors.ECONNREFUSED > 0);
  assert.equal(report.totals.failed, report.errors.ECONNREFUSED);
});

test('SIGINT: load stops, the report of what ran is written (interrupted), exit 105, no request after exit', async () => {
  const server = await startServer(() => ({ delayMs: 5 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'long.json', { ...base(server.url), duration: '60s', gracefulStop: '2s' });
    const cli = startCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json')]);
    await server.waitFor(50);
    cli.child.kill('SIGINT');
    const r = await cli.result;
    assert.equal(r.code, 105, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.interrupted, true);
    assert.equal(report.totals.requests, server.seen.length);
    assert.ok(report.durationMs < 10_000);
    const atExit = server.seen.length;
    // Observe a window after exit: nothing more may arrive.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(server.seen.length, atExit);
  } finally {
    await server.close();
  }
});

test('two scenarios with the same name: 104 naming both files and how to rename, before any request', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    await mkdir(join(dir, 'envA'));
    await mkdir(join(dir, 'envB'));
    const a = await writeScenario(join(dir, 'envA'), 'smoke.json', { ...base(server.url), name: 'smoke' });
    const b = await writeScenario(join(dir, 'envB'), 'smoke.json', { ...base(server.url), name: 'smoke' });
    const r = await runCli(['run', a, b, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 104, r.stderr);
    assert.match(r.stderr, /nothing was sent/);
    assert.ok(r.stderr.includes(`${b}: $.name: scenario name "smoke" collides with ${a}: their reports would overwrite each other`), r.stderr);
    assert.match(r.stderr, /give one of them its own "name", e\.g\. "name": "smoke-envB"/);
    assert.equal(server.seen.length, 0);
    await assert.rejects(readFile(join(dir, 'r.smoke.json')), { code: 'ENOENT' });
  } finally {
    await server.close();
  }
});
