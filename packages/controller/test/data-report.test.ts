import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DataSettings, ResolvedScenario, ShareResult } from '@novaload/agent';
import { dataReport } from '../src/run/data-report.js';
import { sharesFor } from '../src/run/shares.js';

const DATA: DataSettings = { file: 'users.csv', mode: 'sequential', onExhausted: 'stop', columns: ['user'], rows: 10 };
const result = (share: number, taken: number, exhaustedAtMs: number | null): ShareResult => ({ share, lastSeq: 1, interrupted: 0, stoppedEarly: false, data: { taken, exhaustedAtMs } });

test('the data section sums rows taken; the rows ran out only when every share ran out, at the last one\'s moment', () => {
  assert.equal(dataReport(undefined, 2, []), undefined);
  assert.deepEqual(dataReport(DATA, 2, [result(0, 5, 812.4), result(1, 5, 1033.6)]), {
    file: 'users.csv',
    mode: 'sequential',
    onExhausted: 'stop',
    rows: 10,
    taken: 10,
    exhausted: true,
    exhaustedAtMs: 1034,
  });
  const one = dataReport(DATA, 2, [result(0, 5, 812.4), result(1, 4, null)])!;
  assert.equal(one.exhausted, false);
  assert.equal(one.exhaustedAtMs, null);
  const lost = dataReport(DATA, 3, [result(0, 4, 500), result(2, 3, 600)])!;
  assert.equal(lost.taken, 7);
  assert.equal(lost.exhausted, false, 'a lost share may still have had rows');
  assert.equal(lost.missingShares, 1);
});

test('sequential and random rows cap the shares at the row count; per-vu rows do not', () => {
  const scenario = (data: DataSettings): ResolvedScenario => ({
    name: 's',
    target: 'http://127.0.0.1:1',
    executor: { type: 'constant-vus', vus: 8, durationMs: 1000 },
    gracefulStopMs: 0,
    thinkTime: null,
    flow: 'random',
    requests: [{ name: 'r', method: 'GET', path: '/', headers: {}, body: null, weight: 1, expectStatus: null }],
    http: { timeoutMs: 1000, connectTimeoutMs: 1000, headers: {}, connections: 'per-vu', pipelining: 1 },
    thresholds: {},
    data,
  });
  assert.equal(sharesFor(scenario({ ...DATA, rows: 3 }), 4), 3);
  assert.equal(sharesFor(scenario({ ...DATA, mode: 'random', rows: 1 }), 4), 1);
  assert.equal(sharesFor(scenario({ ...DATA, mode: 'per-vu', rows: 1 }), 4), 4);
});
