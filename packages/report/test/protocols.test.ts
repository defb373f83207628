import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSnapshot, renderHtml, renderJson, renderMarkdown, renderText, RunAggregator, SnapshotError, type Report } from '../src/index.js';
import { endpoint, META, snapshot } from './fixtures.js';

/** 2 shares over 2 s: list-tasks h2 5 + 4 + 2, create-task h1 2 and one without a response; one older snapshot without the field. */
function protocolRun(): Report {
  const agg = new RunAggregator(META, 2);
  const ep = (n: number, protocols?: { h1: number; h2: number }) => ({
    ...endpoint({ latency: Array<number>(n).fill(1000), serviceTime: Array<number>(n).fill(1000), ttfb: [], errors: [] }),
    ...(protocols !== undefined && { protocols }),
  });
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': ep(5, { h1: 0, h2: 5 }) } }));
  agg.add(snapshot({ share: 1, seq: 0, second: 0, endpoints: { 'list-tasks': ep(4, { h1: 0, h2: 4 }), 'create-task': ep(3, { h1: 2, h2: 0 }) } }));
  agg.add(snapshot({ share: 0, seq: 1, second: 1, endpoints: { 'list-tasks': ep(2, { h1: 0, h2: 2 }) } }));
  agg.add(snapshot({ share: 1, seq: 1, second: 1, endpoints: { 'create-task': ep(1) } }));
  return agg.finish({ durationMs: 2000, interrupted: false, thresholds: {} });
}

test('protocols merge exactly across shares and seconds, per request and in totals; absent counts as none', () => {
  const r = protocolRun();
  assert.deepEqual(r.totals.protocols, { h1: 2, h2: 11 });
  assert.deepEqual(
    r.endpoints.map((e) => [e.name, e.totals.requests, e.totals.protocols]),
    [
      ['list-tasks', 11, { h1: 0, h2: 11 }],
      ['create-task', 4, { h1: 2, h2: 0 }],
    ],
  );
  assert.deepEqual(JSON.parse(renderJson(r)).totals.protocols, { h1: 2, h2: 11 });
});

test('text, markdown and HTML show the protocol line with the totals; an older report without the count shows none', () => {
  const r = protocolRun();
  const line = 'Protocols: HTTP/1.1 2, HTTP/2 11 (2 without a response)';
  for (const [format, out] of [['text', renderText(r)], ['markdown', renderMarkdown(r)], ['html', renderHtml(r)]] as const) assert.ok(out.includes(line), `${format}:\n${out}`);
  const { protocols: _dropped, ...older } = r.totals;
  for (const out of [renderText({ ...r, totals: older }), renderMarkdown({ ...r, totals: older }), renderHtml({ ...r, totals: older })]) assert.ok(!out.includes('Protocols:'));
});

test('a snapshot whose protocols are not counts or sum past its requests is refused', () => {
  const rules = { shares: 1, names: new Set(['list-tasks']), lastSecond: 10 };
  const make = (protocols: { h1: number; h2: number }) =>
    snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': { ...endpoint({ latency: [1000, 2000], serviceTime: [900, 1900], ttfb: [], errors: [] }), protocols } } });
  assert.equal(checkSnapshot(make({ h1: 1, h2: 1 }), rules).length, 1);
  for (const bad of [{ h1: 2, h2: 1 }, { h1: -1, h2: 0 }, { h1: 0.5, h2: 0 }]) {
    assert.throws(() => checkSnapshot(make(bad), rules), (err: unknown) => err instanceof SnapshotError && /protocols h1 .* summing to at most requests \(2\)/.test(err.message));
  }
});
