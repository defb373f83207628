import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSnapshot, type IntervalSnapshot } from '../src/index.js';
import { endpoint, LIST_TASKS_RULES, snapshot, snapshotRefusal } from './fixtures.js';


function honest(): IntervalSnapshot {
  return snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': endpoint({ latency: [1000, 2000], serviceTime: [900, 1900], ttfb: [500, 600], errors: ['ECONNRESET'] }) } });
}

const refusal = (mutate: (s: IntervalSnapshot) => void): string => snapshotRefusal(honest, mutate);

test('an honest snapshot with resent and error kinds passes', () => {
  const s = honest();
  s.endpoints['list-tasks']!.resent = 2;
  assert.equal(checkSnapshot(s, LIST_TASKS_RULES).length, 1);
});

test('resent must be an integer no larger than requests', () => {
  assert.match(refusal((s) => (s.endpoints['list-tasks']!.resent = 3)), /resent 3 is not an integer in 0\.\.requests \(2\)/);
  assert.match(refusal((s) => (s.endpoints['list-tasks']!.resent = -1)), /resent -1/);
  assert.match(refusal((s) => (s.endpoints['list-tasks']!.resent = 0.5)), /resent 0\.5/);
});

test('error kinds must be codes, and not too many of them', () => {
  const rename = (kind: string) => (s: IntervalSnapshot): void => {
    s.endpoints['list-tasks']!.errors = JSON.parse(`{${JSON.stringify(kind)}: 1}`) as Record<string, number>;
  };
  assert.match(refusal(rename('__proto__')), /error kind "__proto__" is not a kind/);
  assert.match(refusal(rename('<script>')), /is not a kind/);
  assert.match(refusal(rename('x'.repeat(65).toUpperCase())), /is not a kind/);
  assert.equal(refusal(rename('HTTP_503')), 'accepted');
  const many = (s: IntervalSnapshot): void => {
    const ep = s.endpoints['list-tasks']!;
    ep.errors = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`E${i}`, 0]));
    ep.errors.E0 = 1;
  };
  assert.match(refusal(many), /257 error kinds, more than 256/);
});

test('generator figures must be finite and in range', () => {
  assert.match(refusal((s) => (s.generator.utilization = 7)), /generator figures out of range/);
  assert.match(refusal((s) => (s.generator.lagMaxMs = 1e300)), /generator figures out of range/);
  assert.match(refusal((s) => (s.generator.lagMeanMs = -1)), /generator figures out of range/);
  assert.match(refusal((s) => (s.generator.intervalMs = Number.NaN)), /generator figures out of range/);
});
