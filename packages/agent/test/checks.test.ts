import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkName, CompiledChecks, compileJsonPath, jsonPathProblem, type CheckedBody, type ResolvedCheck } from '../src/index.js';
import { checkedBody, Collector, parseRawHeaders } from '../src/journey/collector.js';
import type { Step } from '../src/journey/step.js';
import { EndpointRecorder } from '../src/recorder.js';
import { Rng } from '../src/rng.js';
import { VuState } from '../src/journey/state.js';
import type { RunScope } from '../src/journey/compile.js';

const json = (target: string, op: ResolvedCheck['op'], value: unknown): ResolvedCheck => ({ on: 'json', target, op, value });
const res = (body: string, headers: Record<string, string> = {}): CheckedBody => ({ body, headers });
/** A run without captures, and VU 1 of it: what checks without templates are compiled and evaluated with. */
const SCOPE: RunScope = { scenario: 'checks', env: {}, setup: {}, slots: new Map() };
const VU1 = new VuState(1, 0, new Rng(1, 0));

/** Evaluate one check on a response: [passed, the kind it names]. */
function one(check: ResolvedCheck, response: CheckedBody): [boolean, string | null] {
  const counts = { passes: [0], fails: [0] };
  const kind = new CompiledChecks([check], SCOPE).evaluate(response, VU1, counts);
  return [counts.passes[0] === 1, kind];
}

test('json exists: a value other than null passes; a missing path, null or a body that is not JSON fails (false: the reverse)', () => {
  const doc = res(JSON.stringify({ token: 'abc', zero: 0, empty: '', off: false, nil: null, items: [{ id: 7 }] }));
  for (const path of ['$.token', '$.zero', '$.empty', '$.off', '$.items[0].id', '$..id']) assert.deepEqual(one(json(path, 'exists', true), doc), [true, null], path);
  for (const path of ['$.nil', '$.missing', '$.items[3].id']) assert.deepEqual(one(json(path, 'exists', true), doc), [false, 'CHECK_JSON'], path);
  assert.deepEqual(one(json('$.missing', 'exists', false), doc), [true, null]);
  assert.deepEqual(one(json('$.token', 'exists', false), doc), [false, 'CHECK_JSON']);
  assert.deepEqual(one(json('$.token', 'exists', true), res('<html>login failed</html>')), [false, 'CHECK_JSON']);
  assert.deepEqual(one(json('$.token', 'exists', false), res('not json')), [false, 'CHECK_JSON']);
});

test('json equals compares JSON values, type included; objects deeply; the root of a falsy document too', () => {
  const doc = res(JSON.stringify({ n: 5, s: '5', name: 'item-1', tags: ['a', { b: 1 }], nil: null }));
  assert.equal(one(json('$.n', 'equals', 5), doc)[0], true);
  assert.equal(one(json('$.n', 'equals', '5'), doc)[0], false);
  assert.equal(one(json('$.s', 'equals', '5'), doc)[0], true);
  assert.equal(one(json('$.s', 'equals', 5), doc)[0], false);
  assert.equal(one(json('$.name', 'equals', 'item-1'), doc)[0], true);
  assert.equal(one(json('$.tags', 'equals', ['a', { b: 1 }]), doc)[0], true);
  assert.equal(one(json('$.tags', 'equals', ['a', { b: 2 }]), doc)[0], false);
  assert.equal(one(json('$.nil', 'equals', null), doc)[0], true);
  assert.equal(one(json('$.missing', 'equals', null), doc)[0], false);
  assert.equal(one(json('$', 'equals', 0), res('0'))[0], true);
  assert.equal(one(json('$', 'equals', false), res('false'))[0], true);
});

test('json matches runs the regex on the first value: a string as is, other values as JSON', () => {
  const doc = res(JSON.stringify({ n: 42, s: 'abc-12', o: { a: 1 }, list: ['x1', 'y'] }));
  assert.equal(one(json('$.n', 'matches', '^\\d+$'), doc)[0], true);
  assert.equal(one(json('$.s', 'matches', '^\\d+$'), doc)[0], false);
  assert.equal(one(json('$.s', 'matches', '-\\d+$'), doc)[0], true);
  assert.equal(one(json('$.o', 'matches', '^\\{"a":1\\}$'), doc)[0], true);
  assert.equal(one(json('$.list[*]', 'matches', '^x'), doc)[0], true);
  assert.equal(one(json('$.missing', 'matches', '.*'), doc)[0], false);
});

test('body contains / notContains, and headers exists / equals / matches, name their own kinds', () => {
  const body = (op: ResolvedCheck['op'], value: string): ResolvedCheck => ({ on: 'body', target: '', op, value });
  const header = (op: ResolvedCheck['op'], value: unknown): ResolvedCheck => ({ on: 'header', target: 'content-type', op, value });
  const r = res('{"error": "login failed"}', { 'content-type': 'application/json; charset=utf-8' });
  assert.deepEqual(one(body('contains', 'login failed'), r), [true, null]);
  assert.deepEqual(one(body('notContains', 'login failed'), r), [false, 'CHECK_BODY']);
  assert.deepEqual(one(body('contains', 'welcome'), r), [false, 'CHECK_BODY']);
  assert.deepEqual(one(header('matches', 'json'), r), [true, null]);
  assert.deepEqual(one(header('matches', '^text/'), r), [false, 'CHECK_HEADER']);
  assert.deepEqual(one(header('equals', 'application/json; charset=utf-8'), r), [true, null]);
  assert.deepEqual(one(header('equals', 'application/json'), r), [false, 'CHECK_HEADER']);
  assert.deepEqual(one(header('exists', true), r), [true, null]);
  assert.deepEqual(one(header('exists', false), r), [false, 'CHECK_HEADER']);
  assert.deepEqual(one(header('matches', '.*'), res('')), [false, 'CHECK_HEADER']);
});

test('every check is counted; the first failing one, in order, names the kind', () => {
  const checks = new CompiledChecks([
    { on: 'header', target: 'x-ok', op: 'exists', value: true },
    json('$.token', 'exists', true),
    { on: 'body', target: '', op: 'notContains', value: 'failed' },
  ], SCOPE);
  assert.deepEqual([checks.needsBody, checks.needsHeaders], [true, true]);
  const counts = { passes: [0, 0, 0], fails: [0, 0, 0] };
  assert.equal(checks.evaluate(res('{"error":"failed"}', { 'x-ok': '1' }), VU1, counts), 'CHECK_JSON');
  assert.equal(checks.evaluate(res('{"token":"t"}'), VU1, counts), 'CHECK_HEADER');
  assert.equal(checks.evaluate(res('{"token":"t"}', { 'x-ok': '1' }), VU1, counts), null);
  assert.deepEqual(counts, { passes: [2, 2, 2], fails: [1, 1, 1] });
  assert.deepEqual([new CompiledChecks([json('$.a', 'exists', true)], SCOPE).needsHeaders, new CompiledChecks([{ on: 'header', target: 'a', op: 'exists', value: true }], SCOPE).needsBody], [false, false]);
});

test('check values take templates: rendered per VU, a sole {{ expr }} keeps its JSON type, a missing value fails the check', () => {
  const scope: RunScope = { scenario: 'shop', env: { TAG: 'blue' }, setup: {}, slots: new Map([['id', 0]]) };
  const checks = new CompiledChecks([
    json('$.name', 'equals', 'item-{{ vu }}'),
    json('$.id', 'equals', '{{ id }}'),
    { on: 'body', target: '', op: 'contains', value: '{{ env.TAG }}-{{ scenario }}' },
    { on: 'body', target: '', op: 'notContains', value: 'gone-{{ id }}' },
    { on: 'header', target: 'x-vu', op: 'equals', value: '{{ vu }}' },
  ], scope);
  const vu7 = new VuState(7, 1, new Rng(1, 6));
  vu7.slots[0] = 42;
  const body = (name: string, id: unknown): CheckedBody => res(JSON.stringify({ name, id, tag: 'blue-shop' }), { 'x-vu': '7' });
  const counts = { passes: [0, 0, 0, 0, 0], fails: [0, 0, 0, 0, 0] };
  assert.equal(checks.evaluate(body('item-7', 42), vu7, counts), null);
  assert.deepEqual(counts.fails, [0, 0, 0, 0, 0]);
  // Another VU's item, and the id as a string where the capture was a number: both json checks fail.
  assert.equal(checks.evaluate(body('item-1', '42'), vu7, counts), 'CHECK_JSON');
  assert.deepEqual(counts.fails, [1, 1, 0, 0, 0]);
  // The id not captured: checks needing it fail (never compared with ""), the rest still pass.
  vu7.slots[0] = undefined;
  const missing = { passes: [0, 0, 0, 0, 0], fails: [0, 0, 0, 0, 0] };
  assert.equal(checks.evaluate(body('item-7', 42), vu7, missing), 'CHECK_JSON');
  assert.deepEqual(missing, { passes: [1, 0, 1, 0, 1], fails: [0, 1, 0, 1, 0] });
  // A request of VU 1: its own name, its own header value.
  assert.equal(checks.evaluate(body('item-7', 42), new VuState(1, 1, new Rng(1, 0)), { passes: [0, 0, 0, 0, 0], fails: [0, 0, 0, 0, 0] }), 'CHECK_JSON');
});

test('names are stable and readable; values quoted as JSON', () => {
  assert.equal(checkName(json('$.token', 'exists', true)), 'json $.token exists');
  assert.equal(checkName(json('$.token', 'exists', false)), 'json $.token does not exist');
  assert.equal(checkName(json('$.name', 'equals', 'item-1')), 'json $.name equals "item-1"');
  assert.equal(checkName(json('$.n', 'equals', 5)), 'json $.n equals 5');
  assert.equal(checkName({ on: 'body', target: '', op: 'contains', value: 'welcome' }), 'body contains "welcome"');
  assert.equal(checkName({ on: 'header', target: 'content-type', op: 'matches', value: 'json' }), 'header content-type matches "json"');
});

test('JSONPaths the library would misread are refused; a bad regex or an unknown template name fails at compile, not per response', () => {
  assert.equal(jsonPathProblem('$.a.b[0]'), null);
  assert.equal(jsonPathProblem("$['a b']"), null);
  assert.equal(jsonPathProblem('$[?(@.n > 1)]'), null);
  assert.match(jsonPathProblem('token')!, /does not start with "\$"/);
  assert.match(jsonPathProblem('$.a[')!, /unclosed "\["/);
  assert.match(jsonPathProblem('$.a]')!, /unmatched "\]" at character 4/);
  assert.match(jsonPathProblem("$['a")!, /unclosed ' quote/);
  assert.match(jsonPathProblem('$.a.')!, /ends with "\."/);
  assert.throws(() => compileJsonPath('$.a['), /JSONPath "\$\.a\[" has an unclosed/);
  assert.throws(() => new CompiledChecks([json('$.n', 'matches', '(')], SCOPE), SyntaxError);
  assert.throws(() => new CompiledChecks([json('$.n', 'equals', 'item-{{ nope }}')], SCOPE), /"nope" is not captured/);
  assert.throws(() => new CompiledChecks([{ on: 'body', target: '', op: 'exists', value: true }], SCOPE), /body check cannot use "exists"/);
  assert.throws(() => new CompiledChecks([{ on: 'body', target: '', op: 'contains', value: 5 }], SCOPE), /body check "contains" needs a string, not 5/);
});

test('raw undici headers parse to lower-cased names, repeats joined; the collector keeps only what the step reads', () => {
  const raw = ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'set-cookie', 'b=2'].map((s) => Buffer.from(s));
  assert.deepEqual(parseRawHeaders(raw), { 'content-type': 'text/plain', 'set-cookie': 'a=1, b=2' });
  const events: string[] = [];
  const vu = { onConnect: () => void events.push('connect'), onHeaders: (s: number) => (events.push(`headers ${s}`), true), onData: (c: Buffer) => (events.push(`data ${c.length}`), true), onComplete: () => void events.push('complete'), onError: () => void events.push('error') };
  const handler = new Collector(vu);
  const step = (needs: Pick<Step, 'needsBody' | 'needsHeaders'>): Step => ({ ...needs, build: () => null, after: () => null });
  handler.reset(step({ needsBody: true, needsHeaders: false }));
  handler.onConnect(() => {});
  handler.onHeaders(200, raw, () => {}, 'OK');
  handler.onData(Buffer.from('ab'));
  handler.onData(Buffer.from('cd'));
  handler.onComplete(null);
  const kept = checkedBody(handler.response(), false);
  assert.deepEqual([kept.body, kept.headers], ['abcd', {}]);
  assert.deepEqual(events, ['connect', 'headers 200', 'data 2', 'data 2', 'complete']);
  handler.reset(step({ needsBody: false, needsHeaders: true }));
  handler.onHeaders(200, raw, () => {}, 'OK');
  handler.onData(Buffer.from('ignored'));
  const res = checkedBody(handler.response());
  assert.deepEqual([res.body, res.headers['content-type']], ['', 'text/plain']);
});

test('checks read the JSON the captures parsed, once per response: a shared parse, and undefined (not JSON) fails json checks', () => {
  const checks = new CompiledChecks([json('$.id', 'equals', 7), json('$.id', 'exists', true)], SCOPE);
  let parses = 0;
  const counts = { passes: [0, 0], fails: [0, 0] };
  // The body text disagrees with the shared parse: the checks must read the parse, not parse the text again.
  assert.equal(checks.evaluate({ body: 'not json', headers: {}, json: () => (parses++, { id: 7 }) }, VU1, counts), null);
  assert.equal(checks.evaluate({ body: '{"id":7}', headers: {}, json: () => (parses++, undefined) }, VU1, counts), 'CHECK_JSON');
  assert.deepEqual([parses, counts], [2, { passes: [1, 1], fails: [1, 1] }]);
});

test('the endpoint recorder sends each check\'s counts by name and starts the next second at zero; none without checks', () => {
  const ep = new EndpointRecorder();
  assert.equal(ep.take().checks, undefined);
  ep.useChecks(['a', 'b']);
  ep.passes[0]! += 2;
  ep.fails[1]! += 1;
  assert.deepEqual(ep.take().checks, { a: { passes: 2, fails: 0 }, b: { passes: 0, fails: 1 } });
  assert.deepEqual(ep.take().checks, { a: { passes: 0, fails: 0 }, b: { passes: 0, fails: 0 } });
});
