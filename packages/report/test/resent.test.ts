import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHtml, renderJunit, renderMarkdown, renderText, RunAggregator, type Report } from '../src/index.js';
import { endpoint, META, snapshot } from './fixtures.js';

/** 2 shares over 2 s: list-tasks resent 2 + 1, create-task 1; one snapshot from an older agent without the field. */
function resentRun(): Report {
  const agg = new RunAggregator(META, 2);
  const ep = (n: number, resent?: number) => ({ ...endpoint({ latency: Array<number>(n).fill(1000), serviceTime: Array<number>(n).fill(1000), ttfb: [], errors: [] }), ...(resent !== undefined && { resent }) });
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': ep(5, 2) } }));
  agg.add(snapshot({ share: 1, seq: 0, second: 0, endpoints: { 'list-tasks': ep(4, 1), 'create-task': ep(3, 1) } }));
  agg.add(snapshot({ share: 0, seq: 1, second: 1, endpoints: { 'list-tasks': ep(2) } }));
  agg.add(snapshot({ share: 1, seq: 1, second: 1, endpoints: { 'create-task': ep(1, 0) } }));
  return agg.finish({ durationMs: 2000, interrupted: false, thresholds: {} });
}

test('resent merges exactly across shares and seconds, per request and in totals; absent counts as 0', () => {
  const r = resentRun();
  assert.equal(r.totals.resent, 4);
  assert.deepEqual(
    r.endpoints.map((e) => [e.name, e.totals.requests, e.totals.resent]),
    [
      ['list-tasks', 11, 3],
      ['create-task', 4, 1],
    ],
  );
});

test('every format carries the resend line, naming each request that had resends; none without resends', () => {
  const r = resentRun();
  const line = '4 requests were sent again after the server closed a kept-alive connection (list-tasks: 3, create-task: 1); the server received 19 requests in all.';
  for (const [format, out] of [['text', renderText(r)], ['markdown', renderMarkdown(r)], ['html', renderHtml(r)], ['junit', renderJunit(r)]] as const) {
    assert.ok(out.includes(line), `${format}:\n${out}`);
  }
  assert.ok(renderJunit(r).includes('<property name="resent" value="4"/>'));
  const one: Report = { ...r, totals: { ...r.totals, resent: 1 }, endpoints: r.endpoints.map((e) => ({ ...e, totals: { ...e.totals, resent: e.name === 'list-tasks' ? 1 : 0 } })) };
  assert.ok(renderText(one).includes('1 request was sent again after the server closed a kept-alive connection; the server received 16 requests in all.'));
  const none: Report = { ...r, totals: { ...r.totals, resent: 0 } };
  for (const out of [renderText(none), renderMarkdown(none), renderHtml(none), renderJunit(none)]) assert.ok(!out.includes('sent again'));
});
