import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { plannedDurationMs } from '@novaload/agent';
import { loadScenario } from '../src/scenario/index.js';

const dir = (name: string): string => fileURLToPath(new URL(`../../../../scenarios/${name}`, import.meta.url));

const KPI = {
  'latency.p50': { warning: '<100ms', critical: '<200ms' },
  'latency.p95': { warning: '<500ms', critical: '<1s' },
  'latency.p99': { warning: '<1s', critical: '<2s' },
  errorRate: { warning: '<0.1%', critical: '<1%' },
  successRate: { critical: '>=99.9%' },
};

const PROFILES = [
  { file: 'normal.json', users: 100, holdMs: 300_000, mix: ['GET /api/tasks', 'GET /api/schedules', 'GET /api/users/profile'] },
  { file: 'peak.json', users: 500, holdMs: 600_000, mix: ['GET /api/tasks', 'POST /api/tasks', 'GET /api/schedules'] },
  { file: 'stress.json', users: 1000, holdMs: 300_000, mix: ['GET /api/tasks', 'POST /api/heavy-operation'] },
];

for (const p of PROFILES) {
  test(`${p.file} validates and follows the runbook's profile`, async () => {
    const s = await loadScenario(dir(p.file));
    assert.equal(s.target, 'http://127.0.0.1:3000');
    assert.deepEqual(s.executor, {
      type: 'ramping-vus',
      startVUs: 0,
      stages: [
        { durationMs: 10_000, target: p.users },
        { durationMs: p.holdMs, target: p.users },
      ],
    });
    assert.equal(plannedDurationMs(s.executor), 10_000 + p.holdMs);
    assert.deepEqual(s.thinkTime, { minMs: 500, maxMs: 2000 });
    assert.equal(s.flow, 'random');
    assert.deepEqual(s.requests.map((r) => `${r.method} ${r.path}`), p.mix);
    assert.ok(s.requests.every((r) => r.weight === 1), 'equal weights, like random.choice');
    assert.deepEqual(s.thresholds, KPI);
    const text = JSON.parse(await readFile(dir(p.file), 'utf8')) as Record<string, unknown>;
    assert.equal(text.$schema, './schema.json');
    assert.equal(typeof text.description, 'string');
  });
}

test('peak.json posts a JSON task with its content-type', async () => {
  const s = await loadScenario(dir('peak.json'));
  const create = s.requests.find((r) => r.method === 'POST')!;
  assert.equal(create.body, '{"name":"test"}');
  assert.deepEqual(create.headers, { 'content-type': 'application/json' });
});

test('the published schema is draft-07 and closed at the top level', async () => {
  const schema = JSON.parse(await readFile(dir('schema.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
  assert.equal(schema.additionalProperties, false);
});

test('examples/journey.json validates: one pause per iteration, from the last step, and a short one of its own after create-task', async () => {
  const s = await loadScenario(dir('examples/journey.json'));
  assert.equal(s.flow, 'sequence');
  assert.deepEqual(s.thinkTime, { minMs: 1000, maxMs: 3000 });
  assert.deepEqual(
    s.requests.map((r) => [r.name, r.thinkTime]),
    [
      ['user-profile', { minMs: 0, maxMs: 0 }],
      ['list-tasks', { minMs: 0, maxMs: 0 }],
      ['create-task', { minMs: 200, maxMs: 200 }],
      ['list-schedules', undefined],
    ],
  );
  const text = JSON.parse(await readFile(dir('examples/journey.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(text.$schema, '../schema.json');
});
