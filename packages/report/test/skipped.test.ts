/**
 * Journey counts through snapshots: skipped requests (not sent, a value was
 * missing) and capture misses merge exactly across shares into the report,
 * every format says so, and the controller refuses a snapshot whose misses
 * do not add up to its CAPTURE_MISSING failures.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHtml, renderMarkdown, renderText, RunAggregator, type IntervalSnapshot, type Report } from '../src/index.js';
import { endpoint, META, snapshot, snapshotRefusal } from './fixtures.js';

const ep = (failures: number, extra: { skipped?: number; captureMisses?: Record<string, number> } = {}) => ({
  ...endpoint({ latency: Array<number>(failures + 1).fill(1000), serviceTime: Array<number>(failures + 1).fill(1000), ttfb: [], errors: Array<string>(failures).fill('CAPTURE_MISSING') }),
  ...extra,
});

/** 2 shares: list-tasks misses its token 2 + 1 times, create-task is skipped 2 + 1 + 4 times. */
function journeyRun(): Report {
  const agg = new RunAggregator(META, 2);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': ep(2, { captureMisses: { token: 2 } }), 'create-task': { ...ep(0), skipped: 2 } } }));
  agg.add(snapshot({ share: 1, seq: 0, second: 0, endpoints: { 'list-tasks': ep(1, { captureMisses: { token: 1 } }), 'create-task': { ...ep(0), skipped: 1 } } }));
  agg.add(snapshot({ share: 0, seq: 1, second: 1, endpoints: { 'create-task': { ...ep(0), skipped: 4 } } }));
  return agg.finish({ durationMs: 2000, interrupted: false, thresholds: {} });
}

test('skipped and capture misses merge exactly per request and in totals', () => {
  const r = journeyRun();
  assert.equal(r.totals.skipped, 7);
  const byName = Object.fromEntries(r.endpoints.map((e) => [e.name, e]));
  assert.equal(byName['create-task']!.totals.skipped, 7);
  assert.equal(byName['list-tasks']!.totals.skipped, 0);
  assert.deepEqual(byName['list-tasks']!.captureMisses, { token: 3 });
  assert.equal(byName['list-tasks']!.errors.CAPTURE_MISSING, 3);
  assert.equal(byName['create-task']!.captureMisses, undefined);
});

test('text, markdown and HTML say how many requests were not sent and which capture found nothing', () => {
  const r = journeyRun();
  for (const out of [renderText(r), renderMarkdown(r), renderHtml(r)]) {
    assert.match(out, /7 requests were not sent: a value their templates need was missing \(create-task: 7\)/);
    assert.match(out, /Captures that found nothing \(CAPTURE\\?_MISSING\): list-tasks token 3/);
  }
});


const refusal = (mutate: (s: IntervalSnapshot) => void): string => snapshotRefusal(() => snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': ep(2, { captureMisses: { token: 1, id: 1 }, skipped: 3 }) } }), mutate);

test('a snapshot\'s capture misses must sum to its CAPTURE_MISSING failures, under capture names; skipped must be a count', () => {
  assert.equal(refusal(() => {}), 'accepted');
  assert.match(refusal((s) => (s.endpoints['list-tasks']!.captureMisses = { token: 1 })), /capture misses sum to 1, but CAPTURE_MISSING is 2/);
  assert.match(refusal((s) => delete s.endpoints['list-tasks']!.captureMisses), /capture misses sum to 0, but CAPTURE_MISSING is 2/);
  assert.match(refusal((s) => (s.endpoints['list-tasks']!.captureMisses = { 'no such': 2 })), /missed capture "no such" is not a capture name/);
  assert.match(refusal((s) => (s.endpoints['list-tasks']!.skipped = -1)), /skipped -1 is not an integer/);
  assert.match(refusal((s) => (s.endpoints['list-tasks']!.skipped = 0.5)), /skipped 0\.5/);
});
