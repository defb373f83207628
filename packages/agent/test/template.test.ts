/**
 * The template language: parse, print, name checks and compiled values.
 * Property tests (fast-check): the parser never throws on any text; every
 * rejection is a problem at an offset inside the text; a printed tree
 * parses back to itself and prints to the same text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { Expr, Template } from '../src/journey/ast.js';
import { compileJson, compileTemplate, type RunScope } from '../src/journey/compile.js';
import { checkNames, type NameScope } from '../src/journey/names.js';
import { parseTemplate, printTemplate } from '../src/journey/parse.js';
import { VuState } from '../src/journey/state.js';
import { Rng } from '../src/rng.js';

const SCALE = Number(process.env.NOVALOAD_FC_SCALE ?? 1);
const RUNS = Math.max(1, Math.round(2000 * SCALE));

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,6}$/);
const expr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr; primary: Expr }>((tie) => ({
  primary: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ type: fc.constant('string' as const), value: fc.string({ maxLength: 8 }), quote: fc.constantFrom('"' as const, "'" as const) }),
    fc.record({ type: fc.constant('number' as const), raw: fc.stringMatching(/^-?\d{1,4}(\.\d{1,3})?$/) }),
    fc.record({ type: fc.constant('name' as const), path: fc.array(ident, { minLength: 1, maxLength: 3 }) }),
    fc.record({ type: fc.constant('call' as const), fn: ident, args: fc.array(tie('e'), { maxLength: 3 }) }),
  ),
  e: fc.oneof({ depthSize: 'small' }, tie('primary'), fc.record({ type: fc.constant('default' as const), left: tie('primary'), right: tie('e') })),
})).e;

/** Text parts never hold "{" (it could join a following "{{") and are never empty or adjacent. */
const template: fc.Arbitrary<Template> = fc
  .array(fc.oneof(fc.stringMatching(/^[^{]{1,6}$/).map((text) => ({ type: 'text' as const, text })), expr.map((e) => ({ type: 'expr' as const, expr: e }))), { maxLength: 5 })
  .map((parts) => ({ parts: parts.filter((p, i) => !(p.type === 'text' && parts[i - 1]?.type === 'text')) }));

test('property: the parser never throws, and a rejection is a problem at an offset inside the text', () => {
  const alphabet = fc.constantFrom(...'{}()?.,"\'\\ abcx_01-'.split(''));
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ maxLength: 30 }).map((s) => `{{ ${s} }}`)), (text) => {
      const parsed = parseTemplate(text);
      if ('problem' in parsed) {
        assert.ok(parsed.problem.offset >= 0 && parsed.problem.offset <= text.length, `offset ${parsed.problem.offset} of ${text.length}`);
        assert.ok(parsed.problem.message.length > 0);
      }
    }),
    { numRuns: RUNS },
  );
});

test('property: print then parse gives the tree back, and parse then print gives the text back', () => {
  fc.assert(
    fc.property(template, (t) => {
      const text = printTemplate(t);
      const parsed = parseTemplate(text);
      assert.ok('template' in parsed, `${text}: ${JSON.stringify(parsed)}`);
      assert.deepEqual(parsed.template, JSON.parse(JSON.stringify(t)));
      assert.equal(printTemplate(parsed.template), text);
    }),
    { numRuns: RUNS },
  );
});

test('parse then print keeps the input as written in canonical spacing, quotes included', () => {
  for (const text of ['Bearer {{ token }}', "{{ env.A ?? 'x\\'y' }}/{{ randomInt(1, 10) }}", '{{ env.NAME ?? "fallback" }}', 'plain', '}} stays text']) {
    const parsed = parseTemplate(text);
    assert.ok('template' in parsed, text);
    assert.equal(printTemplate(parsed.template), text);
  }
});

test('syntax errors name what is wrong and where', () => {
  const cases: [string, RegExp, number][] = [
    ['a {{ token', /not closed by "}}"/, 10],
    ['{{ }}', /expected a value/, 3],
    ['{{ a b }}', /expected "}}" or "\?\?"/, 5],
    ['{{ "open }}', /string is not closed/, 3],
    ['{{ f(1 2) }}', /expected "," or "\)"/, 7],
    ['{{ env. }}', /expected a name after "env\."/, 7],
    ['{{ "a\\n" }}', /unknown escape/, 5],
  ];
  for (const [text, message, offset] of cases) {
    const parsed = parseTemplate(text);
    assert.ok('problem' in parsed, text);
    assert.match(parsed.problem.message, message, text);
    assert.equal(parsed.problem.offset, offset, text);
  }
  const deep = parseTemplate(`{{ ${'f('.repeat(40)}${')'.repeat(40)} }}`);
  assert.ok('problem' in deep && /nested deeper/.test(deep.problem.message));
});

const scope: NameScope = { captures: new Set(['token']), env: { SET: 'secret-value' }, data: null, setup: null };
const names = (text: string) => {
  const parsed = parseTemplate(text);
  assert.ok('template' in parsed);
  return checkNames(parsed.template, scope);
};

test('names: built-ins and captures are defined; an unknown name, an unset env without default, data and setup without their blocks are problems', () => {
  assert.deepEqual(names('{{ vu }}{{ iteration }}{{ scenario }}{{ token }}{{ env.SET }}').problems, []);
  assert.deepEqual([...names('{{ env.SET }}').env], ['SET']);
  assert.deepEqual(names('{{ env.UNSET ?? "d" }}').problems, []);
  assert.deepEqual([...names('{{ env.UNSET ?? "d" }}').env], []);
  const messages = (t: string) => names(t).problems.map((p) => p.message);
  assert.deepEqual(messages('{{ tokn }}'), ['undefined name "tokn"']);
  assert.deepEqual(messages('{{ env.UNSET }}'), ['env variable UNSET is not set']);
  assert.match(messages('{{ data.user }}')[0], /needs a data file/);
  assert.match(messages('{{ setup.admin }}')[0], /needs a setup/);
  assert.deepEqual(messages('{{ nope() }} {{ uuid(1) }} {{ vu.x }}'), ['unknown function "nope"', 'uuid() takes 0 argument(s), not 1', '"vu.x": "vu" has no parts']);
  // A problem names the variable, never its value.
  for (const p of names('{{ env.SET.x }}').problems) assert.doesNotMatch(`${p.message} ${p.hint}`, /secret-value/);
});

const run: RunScope = { scenario: 'checkout', env: { TOKEN: 't0k' }, setup: {}, slots: new Map([['id', 0], ['user', 1]]) };
const state = (): VuState => new VuState(3, 2, new Rng(1, 3));

test('compiled templates read the VU, its iteration, the run and its slots; a missing value gives undefined', () => {
  const s = state();
  s.iteration = 4;
  s.slots[0] = 42;
  const render = compileTemplate('/u/{{ vu }}/i/{{ iteration }}/{{ scenario }}/{{ id }}?t={{ env.TOKEN }}', run);
  assert.equal(render(s), '/u/3/i/4/checkout/42?t=t0k');
  assert.equal(compileTemplate('{{ user }}', run)(s), undefined);
  assert.equal(compileTemplate('{{ user ?? "anon" }}-{{ env.NONE ?? 7 }}', run)(s), 'anon-7');
  s.slots[1] = { a: [1] };
  assert.equal(compileTemplate('{{ user }}', run)(s), '{"a":[1]}');
});

test('json: a string that is exactly one {{ expr }} keeps the value\'s JSON type; others render as text; a missing value gives undefined', () => {
  const s = state();
  s.slots[0] = 42;
  s.slots[1] = true;
  const body = compileJson({ id: '{{ id }}', ok: '{{ user }}', name: 'item-{{ id }}', list: ['{{ vu }}', 'x'], n: 1, nil: null }, run);
  assert.deepEqual(body(s), { id: 42, ok: true, name: 'item-42', list: [3, 'x'], n: 1, nil: null });
  s.slots[1] = undefined;
  assert.equal(body(s), undefined);
});

test('functions: uuid() is a v4 UUID, randomInt(a, b) stays in [a, b], randomString(n) has n letters or digits, timestamp() is now', () => {
  const s = state();
  assert.match(String(compileTemplate('{{ uuid() }}', run)(s)), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const int = compileJson('{{ randomInt(2, 4) }}', run);
  const seen = new Set<unknown>();
  for (let i = 0; i < 200; i++) seen.add(int(s));
  assert.deepEqual([...seen].sort(), [2, 3, 4]);
  assert.match(String(compileTemplate('{{ randomString(12) }}', run)(s)), /^[A-Za-z0-9]{12}$/);
  assert.equal(compileJson('{{ randomInt(5, 1) }}', run)(s), undefined);
  const before = Date.now();
  const ts = compileJson('{{ timestamp() }}', run)(s) as number;
  assert.ok(ts >= before && ts <= Date.now());
});
