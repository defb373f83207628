/**
 * End to end: YAML scenario and run files run, validate and fail exactly as
 * JSON ones do (problems at their YAML line and column), and `novaload init`
 * writes a starter that validates and runs; counts are the server's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { startServer } from './helpers/servers.js';
import { ROOT, runCli, tempDir, writeScenario } from './helpers/cli.js';

/** The runbook's KPI table (performance-runbook.md, "Key Performance Indicators"): latency in ms, error rate in percent. */
const RUNBOOK = {
  'latency.p50': { warning: '<100ms', critical: '<200ms' },
  'latency.p95': { warning: '<500ms', critical: '<1000ms' },
  'latency.p99': { warning: '<1000ms', critical: '<2000ms' },
  errorRate: { warning: '<0.1%', critical: '<1%' },
};

test('YAML: the example, a YAML run file, a JSON and a .YML scenario validate and run in one go: counts as the server saw', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const example = join(ROOT, 'scenarios/examples/smoke.yaml');
    const run = join(dir, 'mixed.yaml');
    await writeFile(run, `target: ${server.url}\nscenarios:\n  api:\n    executor: per-vu-iterations\n    vus: 2\n    iterations: 2\n    requests: [{ path: /api }]\n  web:\n    executor: shared-iterations\n    vus: 1\n    iterations: 3\n    requests:\n      - path: /web\n`);
    const json = await writeScenario(dir, 'solo.json', { target: server.url, executor: 'shared-iterations', iterations: 4, requests: [{ path: '/json' }] });
    const yml = join(dir, 'solo2.YML');
    await writeFile(yml, `target: ${server.url}\nexecutor: shared-iterations\niterations: 5\nrequests:\n  - path: /yml\n`);
    const checked = await runCli(['validate', example, run, json, yml]);
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /^ok .*mixed\.yaml: run "mixed", 2 workload\(s\) at once/m);
    assert.match(checked.stdout, /^ok .*solo2\.YML: "solo2" shared-iterations, 1 request\(s\), 5 iteration\(s\)/m);
    // --target replaces the example's target (the others already have the server's).
    const mixed = await runCli(['run', example, run, json, yml, '--target', server.url, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(mixed.code, 0, mixed.stderr);
    const seen = (path: string): number => server.seen.filter((s) => s.url === path).length;
    assert.deepEqual([seen('/api/tasks'), seen('/api/users/profile'), seen('/api'), seen('/web'), seen('/json'), seen('/yml')], [6, 6, 4, 3, 4, 5]);
    assert.equal(server.seen.length, 28);
    assert.deepEqual(server.seen.filter((s) => s.url.startsWith('/api/')).map((s) => s.headers.accept), Array(12).fill('application/json'));
    for (const [name, n] of [['smoke-yaml', 12], ['mixed', 7], ['solo', 4], ['solo2', 5]] as const) {
      assert.equal(JSON.parse(await readFile(join(dir, `r.${name}.json`), 'utf8')).totals.requests, n, name);
    }
  } finally {
    await server.close();
  }
});

test('YAML: bad values and syntax errors exit 104 at their line and column, nothing sent, no stack', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, `target: ${server.url}\nexecutor: constant-vus\nvus: 1\nduration: 1s\nrequests:\n  - path: /\n    method: GTE\nthresholds:\n  latency.p95: { critical: <1 s }\n`);
    const tab = join(dir, 'tab.yml');
    await writeFile(tab, 'executor: constant-vus\nrequests:\n\t- path: /\n');
    const r = await runCli(['run', bad, tab, '--quiet']);
    assert.equal(r.code, 104, r.stderr);
    assert.equal(
      r.stderr,
      'novaload: invalid input, nothing was sent:\n' +
        `${bad}:7:13: $.requests[0].method: "GTE" is not allowed (did you mean "GET"?)\n` +
        `${bad}:9:28: $.thresholds["latency.p95"].critical: "1 s" in "<1 s" is not a duration (write a number with a unit: "250ms", "10s", "5m", "1h" or combined, "1m30s")\n` +
        `${tab}:3:1: invalid YAML: Tabs are not allowed as indentation (indent with spaces: YAML does not allow tabs there)\n`,
    );
    assert.equal(server.seen.length, 0);
  } finally {
    await server.close();
  }
});

test('init: the JSON and YAML starters carry the runbook KPI levels, and run with --duration 1s --vus 2 (counts as the server saw)', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const printed = await runCli(['init', `${server.url}/api/health?probe=1`]);
    assert.equal(printed.code, 0, printed.stderr);
    const starter = JSON.parse(printed.stdout);
    assert.deepEqual(starter.thresholds, RUNBOOK);
    assert.equal(starter.name, `127-0-0-1-${server.port}`);
    assert.equal(starter.target, server.url);
    assert.equal(starter.$schema, './node_modules/novaload/scenarios/schema.json');
    await writeFile(join(dir, 'smoke.json'), printed.stdout);
    const written = await runCli(['init', `${server.url}/api/health?probe=1`, '--yaml', '--name', 'smoke-yaml', '--out', 'smoke.yaml'], { cwd: dir });
    assert.equal(written.code, 0, written.stderr);
    const yaml = await readFile(join(dir, 'smoke.yaml'), 'utf8');
    assert.deepEqual(parse(yaml), { ...starter, name: 'smoke-yaml' });
    const run = await runCli(['run', 'smoke.json', 'smoke.yaml', '--duration', '1s', '--vus', '2', '--threads', '1', '--quiet', '--out', 'r.json'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const reports = await Promise.all([starter.name, 'smoke-yaml'].map(async (n) => JSON.parse(await readFile(join(dir, `r.${n}.json`), 'utf8'))));
    assert.ok(reports.every((r) => r.totals.requests > 0 && r.thresholds.length === 8));
    assert.equal(reports[0].totals.requests + reports[1].totals.requests, server.seen.length);
    assert.ok(server.seen.every((s) => s.method === 'GET' && s.url === '/api/health?probe=1'));
  } finally {
    await server.close();
  }
});
