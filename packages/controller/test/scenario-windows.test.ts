import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError, resolveScenario, type Problem } from '../src/scenario/index.js';

const base = { target: 'http://127.0.0.1:3000', executor: 'constant-vus', vus: 2, duration: '1s', requests: [{ name: 'list', path: '/api/tasks' }] };

function problemsOf(thresholds: unknown): Map<string, Problem> {
  try {
    resolveScenario({ ...base, thresholds }, 'w.json');
  } catch (err) {
    assert.ok(err instanceof InputError);
    return new Map(err.problems.map((p) => [p.path, p]));
  }
  return new Map();
}

test('windowed and relative thresholds as the README writes them are valid', () => {
  const spec = { 'latency.p99': { warning: '<500ms', critical: '<1s', for: '30s', abortOnFail: true }, errorRate: { critical: '<5%', for: '1m' }, 'latency.p95': { warning: '<+5%', critical: '<+10%' }, rps: '>-10%' };
  assert.deepEqual([...problemsOf(spec).keys()], []);
  assert.deepEqual(resolveScenario({ ...base, thresholds: spec }, 'w.json').thresholds, spec);
});

test('a window is whole seconds, on overall latency, errorRate or successRate, with absolute conditions', () => {
  const found = problemsOf({
    'latency.p99': { critical: '<1s', for: '1500ms' },
    'errorRate{request=list}': { critical: '<1%', for: '10s' },
    rps: { critical: '>10', for: '10s' },
    'latency.p95': { critical: '<+10%', for: '10s' },
    'latency.p50': { critical: '<1s', for: 'soon' },
  });
  assert.match(found.get('$.thresholds["latency.p99"].for')!.message, /not a whole number of seconds/);
  assert.match(found.get('$.thresholds["errorRate{request=list}"]')!.message, /covers all requests/);
  assert.match(found.get('$.thresholds.rps')!.message, /cannot have a window/);
  assert.match(found.get('$.thresholds["latency.p95"].critical')!.message, /absolute condition/);
  assert.match(found.get('$.thresholds["latency.p50"].for')!.message, /is not a duration/);
});

test('abortOnFail needs a window and a critical level; a window needs a level', () => {
  const found = problemsOf({
    'latency.p99': { critical: '<1s', abortOnFail: true },
    'latency.p95': { warning: '<1s', for: '5s', abortOnFail: true },
    'latency.p50': { for: '5s' },
    errorRate: { critical: '<1%', for: '5s', abortOnFail: 'yes' },
  });
  assert.equal(found.get('$.thresholds["latency.p99"].abortOnFail')!.message, 'needs "for" beside it');
  assert.match(found.get('$.thresholds["latency.p95"].abortOnFail')!.message, /critical level/);
  assert.equal(found.get('$.thresholds["latency.p50"]')!.message, 'no level to judge');
  assert.match(found.get('$.thresholds.errorRate.abortOnFail')!.message, /must be a boolean/);
});
