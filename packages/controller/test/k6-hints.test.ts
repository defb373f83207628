/**
 * A k6 user's spellings are refused (104) with the novaload way written out:
 * fields (preAllocatedVUs, exec, timeUnit), metric names
 * (http_req_duration, http_req_failed, http_reqs, iteration_duration, vus,
 * vus_max), k6's conditions ("p(95)<500", also in its array form), and
 * abortOnFail without "for".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, resolveScenario, type Problem } from '../src/scenario/index.js';

const base = { target: 'http://127.0.0.1:3000', executor: 'constant-arrival-rate', rate: 10, duration: '1s', requests: [{ name: 'list', path: '/api/tasks' }] };

/** The one problem resolveScenario reports for `base` plus `extra`. */
function problemOf(extra: Record<string, unknown>): Problem {
  try {
    resolveScenario({ ...base, ...extra }, 'k6.json', {});
  } catch (err) {
    assert.ok(err instanceof InputError);
    assert.equal(err.problems.length, 1, err.message);
    return err.problems[0]!;
  }
  assert.fail(`expected an InputError for ${JSON.stringify(extra)}`);
}

test('k6 fields: preAllocatedVUs is maxVUs; exec and timeUnit say what novaload does instead', () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ preAllocatedVUs: 10 }, '$.preAllocatedVUs', /^did you mean "maxVUs"\? k6's preAllocatedVUs is novaload's maxVUs/],
    [{ exec: 'smoke' }, '$.exec', /novaload runs no script: there is no function to name; list what to send in "requests"/],
    [{ timeUnit: '1m' }, '$.timeUnit', /always per second/],
  ];
  for (const [extra, path, hint] of cases) {
    const p = problemOf(extra);
    assert.equal(p.path, path);
    assert.equal(p.message, `unknown field "${Object.keys(extra)[0]}"`);
    assert.match(p.hint ?? '', hint, JSON.stringify(extra));
  }
  assert.match(problemOf({ executor: 'externally-controlled' }).hint ?? '', /no externally controlled executor: use "ramping-vus"/);
});

test('k6 metric names: the hint names the novaload metric and writes the threshold out, from the string or the array form', () => {
  const cases: [string, unknown, string][] = [
    ['http_req_duration', ['p(95)<500'], 'novaload calls it latency.p95: write "latency.p95": "<500ms"'],
    ['http_req_duration', 'p(95)<500', 'novaload calls it latency.p95: write "latency.p95": "<500ms"'],
    ['http_req_duration', ['p(95)<500', 'p(99.9)<2000', 'avg<200'], 'novaload calls it latency: write "latency.p95": "<500ms", "latency.p99.9": "<2000ms", "latency.mean": "<200ms"'],
    ['http_req_duration{name:GET /api/ratings/{id}}', 'med<100', 'novaload calls it latency.p50{request="GET /api/ratings/{id}"}: write "latency.p50{request=\\"GET /api/ratings/{id}\\"}": "<100ms"'],
    ['http_req_failed', ['rate<0.01'], 'novaload calls it errorRate: write "errorRate": "<1%"'],
    ['http_req_tls_handshaking', ['p(95)<50'], 'novaload calls it tlsHandshake.p95: write "tlsHandshake.p95": "<50ms"'],
    ['http_req_waiting{name:list}', 'med<20', 'novaload calls it wait.p50{request=list}: write "wait.p50{request=list}": "<20ms"'],
    ['http_reqs', ['rate>100'], 'novaload calls it rps: write "rps": ">100"'],
    ['http_reqs', ['count>1000'], 'novaload has no threshold on the count of requests: gate on their rate, e.g. "rps": ">100"'],
    ['iteration_duration', ['p(95)<500'], 'novaload measures requests, not iterations: gate on latency.<stat>, for one request with {request=NAME}'],
    ['vus', ['value<100'], "novaload has no threshold on VUs; the report's timeline has the VUs of every second"],
    ['vus_max', ['value<100'], 'an arrival-rate executor\'s VUs are capped by "maxVUs"; when all are busy iterations are dropped: gate on that with "dropped": "<1"'],
  ];
  for (const [key, spec, hint] of cases) {
    const p = problemOf({ thresholds: { [key]: spec } });
    assert.equal(p.message, `"${key.replace(/\{.*$/, '')}" is k6's name for a metric`, key);
    assert.equal(p.hint, hint, `${key}: ${JSON.stringify(spec)}`);
  }
});

test('what the hints write out is valid novaload: each suggested threshold resolves', () => {
  for (const [key, spec] of [['http_req_duration', ['p(95)<500', 'p(99.9)<2000', 'avg<200']], ['http_req_failed', ['rate<0.01']], ['http_reqs', ['rate>100']]] as const) {
    const hint = problemOf({ thresholds: { [key]: spec } }).hint!;
    const written = JSON.parse(`{${hint.slice(hint.indexOf('write ') + 'write '.length)}}`) as Record<string, string>;
    const resolved = resolveScenario({ ...base, thresholds: written }, 'k6.json', {});
    assert.deepEqual(Object.keys(resolved.thresholds), Object.keys(written));
  }
});

test('a k6 condition under a novaload key, and abortOnFail without "for", say how novaload writes them', () => {
  const p95 = problemOf({ thresholds: { 'latency.p95': 'p(95)<500' } });
  assert.equal(p95.message, 'condition "p(95)<500" is written k6\'s way');
  assert.equal(p95.hint, 'novaload names the statistic in the key: write "latency.p95": "<500ms"');
  assert.equal(problemOf({ thresholds: { errorRate: { critical: 'rate<0.05' } } }).hint, 'novaload names the statistic in the key: write "errorRate": "<5%"');
  const abort = problemOf({ thresholds: { 'latency.p95': { critical: '<500ms', abortOnFail: true } } });
  assert.equal(abort.path, '$.thresholds["latency.p95"].abortOnFail');
  assert.equal(abort.message, 'needs "for" beside it');
  assert.match(abort.hint ?? '', /^without "for" a level is judged once, on the whole run, at its end; .*add "for", e.g. \{ "critical": "<500ms", "for": "10s", "abortOnFail": true \}/);
  const k6Abort = problemOf({ thresholds: { http_req_duration: [{ threshold: 'p(95)<500', abortOnFail: true }] } });
  assert.match(k6Abort.hint ?? '', /^novaload calls it latency\.p95: write "latency\.p95": \{ "critical": "<500ms", "for": "10s", "abortOnFail": true \}; "for" is the window/);
});
