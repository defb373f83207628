/**
 * Run files (issue 14 point 1): several workloads in one file, each a full
 * scenario with its own executor and startTime; the top-level target, http
 * and allowHosts are defaults; every problem of every entry is reported at
 * once at its path in the run file; `validate` describes each workload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError, loadScenario, resolveRunFile, type Problem } from '../src/scenario/index.js';
import { validateScenario } from '../src/generated/scenario-validator.js';
import { main } from '../src/main.js';
import { memoryIo } from './helpers/io.js';
import { MAX_RUNS } from '@novaload/agent';

const browse = { executor: 'constant-vus', vus: 2, duration: '2s', requests: [{ name: 'home', path: '/' }] };
const api = { executor: 'constant-arrival-rate', rate: 5, duration: '2s', maxVUs: 2, requests: [{ name: 'ping', path: '/ping' }], startTime: '1s', thresholds: { 'latency.p95': '<200ms' } };
const run = {
  name: 'release-check',
  target: 'http://127.0.0.1:3000',
  http: { timeout: '5s', headers: { 'x-run': 'one', 'x-team': 'web' } },
  thresholds: { 'latency.p99': '<1s', 'errorRate{request=ping}': '<1%' },
  scenarios: { browse: { ...browse, startTime: '0s' }, api },
};

function problemsOf(raw: unknown): Problem[] {
  try {
    resolveRunFile(raw, 'run.json');
  } catch (err) {
    assert.ok(err instanceof InputError, String(err));
    return err.problems;
  }
  assert.fail('expected an InputError');
}

test('run file: each entry resolves as its own scenario named by its key, with its start offset and the run-wide thresholds', () => {
  const resolved = resolveRunFile(run, 'run.json');
  assert.equal(resolved.name, 'release-check');
  assert.deepEqual(resolved.workloads.map((w) => [w.scenario.name, w.scenario.executor.type, w.startMs]), [['browse', 'constant-vus', 0], ['api', 'constant-arrival-rate', 1000]]);
  assert.deepEqual(Object.keys(resolved.thresholds), ['latency.p99', 'errorRate{request=ping}']);
  assert.deepEqual(resolved.workloads[1]!.scenario.thresholds, { 'latency.p95': '<200ms' });
  assert.equal(resolved.workloads[0]!.scenario.requests[0]!.name, 'home');
});

test('run file: target, http and allowHosts are defaults an entry overrides (http field by field, headers name by name)', () => {
  const resolved = resolveRunFile({ ...run, allowHosts: ['127.0.0.1'], scenarios: { browse, api: { ...api, target: 'http://127.0.0.1:4000', http: { connectTimeout: '2s', headers: { 'x-team': 'api' } } } } }, 'run.json');
  const [b, a] = resolved.workloads.map((w) => w.scenario);
  assert.equal(b!.target, 'http://127.0.0.1:3000');
  assert.equal(a!.target, 'http://127.0.0.1:4000');
  assert.equal(b!.http.timeoutMs, 5000);
  assert.equal(a!.http.timeoutMs, 5000);
  assert.equal(a!.http.connectTimeoutMs, 2000);
  assert.equal(b!.http.connectTimeoutMs, 10_000);
  assert.deepEqual(b!.http.headers, { 'x-run': 'one', 'x-team': 'web' });
  assert.deepEqual(a!.http.headers, { 'x-run': 'one', 'x-team': 'api' });
  assert.deepEqual(a!.http.allowHosts, ['127.0.0.1']);
});

test('run file: every problem of every entry at once, at its path in the run file; an inherited default is blamed once, at the top', () => {
  const problems = problemsOf({
    target: 'ftp://nope',
    executor: 'constant-vus',
    http: { timeout: 'abc' },
    thresholds: { 'latency.p95{request=nosuch}': '<1s' },
    scenarios: {
      browse: { ...browse, requests: [{ name: 'home', path: 'nope' }], startTime: '1.5s' },
      api: { ...api, executor: 'constnt-vus', requests: [{ name: 'ping', path: '/ping', bogus: 1 }] },
      'bad key': { ...browse, name: 'other' },
      n: 5,
    },
  });
  const at = (path: string): Problem | undefined => problems.find((p) => p.path === path);
  assert.match(at('$.executor')?.message ?? '', /"executor" belongs in an entry of "scenarios", not at the top of a run file/);
  assert.match(at('$.scenarios.browse.startTime')?.message ?? '', /whole number of seconds, not 1\.5s/);
  assert.match(at('$.scenarios.browse.requests[0].path')?.message ?? '', /must start with "\/"/);
  assert.match(at('$.scenarios.api.executor')?.hint ?? '', /did you mean "constant-vus"/);
  assert.equal(at('$.scenarios.api.requests[0].bogus')?.message, 'unknown field "bogus"');
  assert.match(at('$.scenarios["bad key"]')?.message ?? '', /not a workload name/);
  assert.match(at('$.scenarios["bad key"].name')?.message ?? '', /named by its key/);
  assert.equal(at('$.scenarios.n')?.message, 'must be an object, not 5');
  assert.match(at('$.thresholds["latency.p95{request=nosuch}"]')?.hint ?? '', /requests: home, ping/);
  // The bad default target and timeout: once each, at the top, not once per entry.
  assert.equal(problems.filter((p) => /ftp:\/\/nope/.test(p.message)).map((p) => p.path).join(), '$.target');
  assert.equal(problems.filter((p) => /"abc"/.test(p.message)).map((p) => p.path).join(), '$.http.timeout');
});

test('run file: a missing target is one problem at the top; a target in every entry needs none there', () => {
  const { target: _t, ...noTarget } = run;
  const problems = problemsOf(noTarget);
  assert.deepEqual(problems.map((p) => p.path), ['$.target']);
  const own = resolveRunFile({ ...noTarget, scenarios: { browse: { ...browse, target: 'http://127.0.0.1:1' }, api: { ...api, target: 'http://127.0.0.1:2' } } }, 'run.json');
  assert.deepEqual(own.workloads.map((w) => w.scenario.target), ['http://127.0.0.1:1', 'http://127.0.0.1:2']);
});

test('run file: a run-wide {scenario=NAME} threshold is judged in that workload, its problems at the run-wide key', () => {
  const tagged = resolveRunFile({ ...run, thresholds: { 'latency.p99': '<1s', 'latency.p95{scenario=browse}': '<300ms', 'errorRate{scenario=api,request=ping}': '<1%' } }, 'run.json');
  assert.deepEqual(Object.keys(tagged.thresholds), ['latency.p99']);
  assert.deepEqual(tagged.workloads[0]!.scenario.thresholds, { 'latency.p95': '<300ms' });
  assert.deepEqual(tagged.workloads[1]!.scenario.thresholds, { 'latency.p95': '<200ms', 'errorRate{request=ping}': '<1%' });
  const problems = problemsOf({ ...run, thresholds: { 'latency.p95{scenario=apx}': '<1s', 'latency.p95{scenario=api}': '<1s', 'latency.p95{scenario=browse,request=nosuch}': '<1s', 'errorRate{scenario=browse}': '<1 %%' } });
  const at = (key: string): Problem | undefined => problems.find((p) => p.path === `$.thresholds[${JSON.stringify(key)}]`);
  assert.equal(at('latency.p95{scenario=apx}')?.hint, 'did you mean {scenario=api}?');
  assert.match(at('latency.p95{scenario=api}')?.message ?? '', /workload "api" has "latency.p95" in its own thresholds too/);
  assert.match(at('latency.p95{scenario=browse,request=nosuch}')?.message ?? '', /no request is named "nosuch"/);
  assert.ok(at('errorRate{scenario=browse}'), JSON.stringify(problems));
  assert.ok(problems.every((p) => !p.path.startsWith('$.scenarios')), JSON.stringify(problems));
});

test('run file: an entry holds no scenarios of its own', () => {
  assert.deepEqual(problemsOf({ ...run, scenarios: { ...run.scenarios, browse: { ...browse, scenarios: { x: browse } } } }).map((p) => p.path), ['$.scenarios.browse.scenarios']);
});

test('schema: scenarios/schema.json takes a run file and a scenario, and refuses a scenario without executor', () => {
  assert.equal(validateScenario(run), true, JSON.stringify(validateScenario.errors));
  assert.equal(validateScenario({ ...browse, target: 'http://127.0.0.1:3000' }), true);
  assert.equal(validateScenario({ target: 'http://127.0.0.1:3000', requests: browse.requests }), false);
  assert.equal(validateScenario({ ...run, vus: 3 }), false);
  assert.equal(validateScenario({ ...run, scenarios: { api: { ...api, executor: 'nope' } } }), false);
});

test('validate: a run file gets one line for the run and one per workload with its start; run refuses more workloads than agents hold at once with --agents, and a relative run-wide level without --baseline, with 104 before anything is sent', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-runfile-'));
  const file = join(dir, 'mix.json');
  await writeFile(file, JSON.stringify(run));
  const x = memoryIo();
  assert.equal(await main(['validate', file], x), 0, x.err);
  assert.match(x.out, new RegExp(`^ok ${file}: run "release-check", 2 workload\\(s\\) at once, 2 run-wide threshold\\(s\\)$`, 'm'));
  assert.match(x.out, new RegExp(`^ok ${file} api: "api" constant-arrival-rate, 1 request\\(s\\), 2s planned, starts at 1s, 1 threshold\\(s\\)$`, 'm'));
  const nine = join(dir, 'nine.json');
  await writeFile(nine, JSON.stringify({ ...run, thresholds: {}, scenarios: Object.fromEntries(Array.from({ length: MAX_RUNS + 1 }, (_, k) => [`w${k}`, browse])) }));
  const y = memoryIo();
  assert.equal(await main(['run', nine, '--agents', '2'], y), 104);
  assert.match(y.err, new RegExp(`a run file runs at most ${MAX_RUNS} workloads at once on remote agents; this one has ${MAX_RUNS + 1}`));
  await writeFile(file, JSON.stringify({ ...run, thresholds: { 'latency.p95': '<+5%' } }));
  const rel = memoryIo();
  assert.equal(await main(['run', file], rel), 104);
  assert.match(rel.err, /threshold "latency\.p95" \(critical "<\+5%"\) of run "release-check" is relative: pass --baseline/);
  await assert.rejects(loadScenario(file), /this is a run file \(it has "scenarios"\), where one scenario is expected/);
  const single = join(dir, 'single.json');
  await writeFile(single, JSON.stringify({ ...browse, target: 'http://127.0.0.1:3000', startTime: '30s' }));
  const z = memoryIo();
  assert.equal(await main(['validate', single], z), 104);
  assert.match(z.err, /\$\.startTime: startTime delays an entry of a run file's "scenarios"/);
});

test('run file --duration D scales the whole run to last D: every start and load phase by the same factor, starts in whole seconds; iteration workloads get D as maxDuration', () => {
  const release = {
    name: 'release',
    target: 'http://127.0.0.1:3000',
    scenarios: {
      browse: { executor: 'constant-vus', vus: 2, duration: '2m', requests: [{ name: 'home', path: '/' }] },
      api: { executor: 'constant-arrival-rate', rate: 5, duration: '1m', maxVUs: 2, startTime: '30s', requests: [{ name: 'ping', path: '/ping' }] },
      ramp: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '20s', target: 4 }, { duration: '20s', target: 0 }], startTime: '80s', requests: [{ name: 'r', path: '/r' }] },
      smoke: { executor: 'shared-iterations', vus: 1, iterations: 3, startTime: '60s', requests: [{ name: 's', path: '/s' }] },
    },
  };
  const shape = (r: ReturnType<typeof resolveRunFile>) =>
    r.workloads.map((w) => {
      const e = w.scenario.executor as { type: string; durationMs?: number; maxDurationMs?: number; stages?: { durationMs: number }[] };
      return [w.scenario.name, w.startMs, e.durationMs ?? e.maxDurationMs ?? e.stages!.map((s) => s.durationMs)];
    });
  // Written: the run lasts 2 min (browse; ramp ends at 80 + 40 s). At 30 s, a quarter: browse 30 s, api 15 s from 7.5 s → 8 s, ramp 10 s from 20 s.
  assert.deepEqual(shape(resolveRunFile(release, 'run.json', { durationMs: 30_000 })), [
    ['browse', 0, 30_000],
    ['api', 8000, 15_000],
    ['ramp', 20_000, [5000, 5000]],
    ['smoke', 15_000, 30_000],
  ]);
  // Without --duration, as written.
  assert.deepEqual(shape(resolveRunFile(release, 'run.json')), [
    ['browse', 0, 120_000],
    ['api', 30_000, 60_000],
    ['ramp', 80_000, [20_000, 20_000]],
    ['smoke', 60_000, 600_000],
  ]);
  // Only iteration workloads: each gets D as maxDuration, starts kept.
  const onlySmoke = { ...release, scenarios: { smoke: release.scenarios.smoke } };
  assert.deepEqual(shape(resolveRunFile(onlySmoke, 'run.json', { durationMs: 10_000 })), [['smoke', 60_000, 10_000]]);
  // Other overrides still reach every workload.
  const scaled = resolveRunFile(release, 'run.json', { durationMs: 60_000, scale: 2 });
  assert.deepEqual(scaled.workloads.map((w) => (w.scenario.executor as { vus?: number; rate?: number }).vus ?? (w.scenario.executor as { rate?: number }).rate), [4, 10, undefined, 2]);
});

test('run file --rate N sets its arrival-rate workloads\' peak and leaves the closed ones as written; a run file with no arrival-rate workload is refused', () => {
  const resolved = resolveRunFile(run, 'run.json', { rate: 40 });
  assert.deepEqual(resolved.workloads.map((w) => [w.scenario.name, (w.scenario.executor as { vus?: number; rate?: number }).vus ?? (w.scenario.executor as { rate?: number }).rate]), [['browse', 2], ['api', 40]]);
  const closedOnly = { ...run, thresholds: {}, scenarios: { browse } };
  let problems: Problem[] = [];
  try {
    resolveRunFile(closedOnly, 'run.json', { rate: 40 });
  } catch (err) {
    assert.ok(err instanceof InputError);
    problems = err.problems;
  }
  assert.deepEqual(problems.map((p) => [p.path, p.message]), [['--rate', 'applies to arrival-rate executors; no workload of this run file uses one']]);
});
