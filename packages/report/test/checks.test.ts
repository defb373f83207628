import assert from 'node:assert/strict';
import { test } from 'node:test';
import { baselineValue, checkSnapshot, keyOf, renderCsv, renderHtml, renderJunit, renderMarkdown, renderText, RunAggregator, SnapshotError, type CheckCount, type Report } from '../src/index.js';
import { endpoint, snapshot } from './fixtures.js';

const TOKEN = 'json $.token exists';
const TYPE = 'header content-type matches "json"';
const META = {
  scenario: 'login',
  target: 'http://127.0.0.1:1',
  executor: 'constant-vus',
  startedAt: new Date('2026-01-01T00:00:00Z'),
  requests: [
    { name: 'login', method: 'POST', path: '/login', checkNames: [TOKEN, TYPE] },
    { name: 'home', method: 'GET', path: '/' },
  ],
};

/** An endpoint snapshot of `n` requests, `failed` of them CHECK_JSON, with the given check counts. */
function ep(n: number, failed: number, checks?: Record<string, CheckCount>) {
  const base = endpoint({ latency: Array<number>(n).fill(1000), serviceTime: Array<number>(n).fill(1000), ttfb: [], errors: Array<string>(failed).fill('CHECK_JSON') });
  return checks ? { ...base, checks } : base;
}

/** 2 shares over 2 s; share 1 sends no checks in second 1 (none ran: the field is absent). */
function checkedRun(thresholds: Record<string, string> = {}): Report {
  const agg = new RunAggregator(META, 2);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { login: ep(5, 2, { [TOKEN]: { passes: 3, fails: 2 }, [TYPE]: { passes: 5, fails: 0 } }), home: ep(2, 0) } }));
  agg.add(snapshot({ share: 1, seq: 0, second: 0, endpoints: { login: ep(4, 1, { [TOKEN]: { passes: 3, fails: 1 }, [TYPE]: { passes: 3, fails: 1 } }) } }));
  agg.add(snapshot({ share: 0, seq: 1, second: 1, endpoints: { login: ep(1, 0, { [TOKEN]: { passes: 1, fails: 0 }, [TYPE]: { passes: 1, fails: 0 } }) } }));
  agg.add(snapshot({ share: 1, seq: 1, second: 1, endpoints: { home: ep(3, 0) } }));
  return agg.finish({ durationMs: 2000, interrupted: false, thresholds });
}

test('check counts merge exactly across shares and seconds, per check, in declared order, with a total', () => {
  const r = checkedRun();
  assert.deepEqual(r.checks, [
    { request: 'login', check: TOKEN, passes: 7, fails: 3 },
    { request: 'login', check: TYPE, passes: 9, fails: 1 },
  ]);
  assert.deepEqual(r.totals.checks, { passes: 16, fails: 4 });
  assert.deepEqual(r.errors, { CHECK_JSON: 3 });
});

test('a scenario without checks has no checks table and no checks total', () => {
  const agg = new RunAggregator({ ...META, requests: [{ name: 'home', method: 'GET', path: '/' }] }, 1);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { home: ep(2, 0) } }));
  const r = agg.finish({ durationMs: 1000, interrupted: false, thresholds: {} });
  assert.equal(r.checks, undefined);
  assert.equal(r.totals.checks, undefined);
  assert.ok(!renderText(r).includes('Checks'));
  assert.equal(renderCsv(r).checks, undefined);
});

test('checks and checks{request=NAME} thresholds are the pass rate in percent; no checks ran is no data', () => {
  const r = checkedRun({ checks: '>=80%', 'checks{request=login}': '>90%', 'checks{request=home}': '>0%' });
  const byMetric = Object.fromEntries(r.thresholds.map((t) => [t.metric, t]));
  assert.deepEqual([byMetric.checks!.value, byMetric.checks!.ok], [80, true]);
  assert.deepEqual([byMetric['checks{request=login}']!.value, byMetric['checks{request=login}']!.ok], [80, false]);
  assert.deepEqual([byMetric['checks{request=home}']!.value, byMetric['checks{request=home}']!.ok], [null, false]);
  assert.equal(r.verdict, 'fail');
});

test('a saved report gives the checks pass rate back to relative thresholds (--baseline)', () => {
  const r = checkedRun();
  assert.equal(baselineValue(keyOf('checks'), r), 80);
  assert.equal(baselineValue(keyOf('checks{request=login}'), r), 80);
  assert.equal(baselineValue(keyOf('checks{request=home}'), r), null);
  assert.equal(baselineValue(keyOf('checks'), { ...r, checks: undefined }), null);
});

test('a snapshot is refused for a check its request does not have, or check counts past its requests', () => {
  const rules = { shares: 1, names: new Set(['login', 'home']), checks: new Map([['login', new Set([TOKEN])]]), lastSecond: 10 };
  const bad = (endpoints: Record<string, ReturnType<typeof ep>>) => () => checkSnapshot(snapshot({ share: 0, seq: 0, second: 0, endpoints }), rules);
  assert.throws(bad({ login: ep(2, 0, { 'json $.other exists': { passes: 1, fails: 0 } }) }), (e: unknown) => e instanceof SnapshotError && /"login" has no check "json \$\.other exists"/.test(e.message));
  assert.throws(bad({ home: ep(2, 0, { [TOKEN]: { passes: 1, fails: 0 } }) }), /"home" has no check/);
  assert.throws(bad({ login: ep(2, 0, { [TOKEN]: { passes: 2, fails: 1 } }) }), /check json \$\.token exists ran 3 times in 2 requests/);
  assert.throws(bad({ login: ep(2, 0, { [TOKEN]: { passes: -1, fails: 1 } }) }), /are not integers/);
  assert.doesNotThrow(bad({ login: ep(2, 0, { [TOKEN]: { passes: 1, fails: 1 } }) }));
});

test('every format shows the checks table: request, check, passes, fails', () => {
  const r = checkedRun();
  const text = renderText(r);
  assert.match(text, /Checks: 16 of 20 checks passed \(80\.00%\)/);
  assert.match(text, /login\s+json \$\.token exists\s+7\s+3/);
  assert.match(text, /login\s+header content-type matches "json"\s+9\s+1/);
  const md = renderMarkdown(r);
  assert.ok(md.includes('### Checks'), md);
  assert.ok(md.includes('| login | json $.token exists | 7 | 3 |'), md);
  const html = renderHtml(r);
  assert.ok(html.includes('<h2>Checks</h2>'));
  assert.ok(html.includes('<tr class="fail"><td>login</td><td><code>json $.token exists</code></td><td class="n">7</td><td class="n">3</td></tr>'), html);
  assert.ok(html.includes('header content-type matches &quot;json&quot;'));
  const junit = renderJunit(r);
  assert.ok(junit.includes('<property name="checks.passes" value="16"/>'));
  assert.ok(junit.includes('<property name="check.login.json $.token exists" value="7 passed, 3 failed"/>'));
  assert.equal(renderCsv(r).checks, 'request,check,passes,fails\nlogin,json $.token exists,7,3\nlogin,"header content-type matches ""json""",9,1\n');
});
