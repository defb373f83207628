/**
 * Templates as the controller resolves them: env values carried only for
 * the names the templates read (never another variable of the
 * environment; check values' included), json bodies with templates kept
 * for rendering, and — a
 * property (fast-check) — any template text in any field either resolves
 * or is refused with every problem at that field's JSON path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError, resolveScenario } from '../src/scenario/index.js';

const base = { target: 'http://127.0.0.1:3000', executor: 'constant-vus', vus: 1, duration: '1s' };

test('the plan carries the env values the templates read and no other; a json body with templates is kept, others are serialised', () => {
  const s = resolveScenario(
    {
      ...base,
      http: { headers: { authorization: 'Bearer {{ env.TOKEN }}' } },
      requests: [
        { name: 'a', path: '/a?x={{ env.UNSET ?? "d" }}', json: { n: '{{ vu }}', fixed: 1 }, capture: [{ json: '$.id', as: 'id' }] },
        { name: 'b', path: '/b/{{ id }}', json: { plain: true } },
      ],
    },
    's.json',
    {},
    { env: { TOKEN: 't', OTHER: 'not read', UNSET: undefined } },
  );
  assert.deepEqual(s.env, { TOKEN: 't' });
  assert.deepEqual(s.requests[0]!.json, { n: '{{ vu }}', fixed: 1 });
  assert.equal(s.requests[0]!.body, null);
  assert.deepEqual(s.requests[0]!.capture, [{ json: '$.id', as: 'id' }]);
  assert.equal(s.requests[1]!.json, undefined);
  assert.equal(s.requests[1]!.body, '{"plain":true}');
});

test('check values with templates resolve as written, and the env names they read travel in the plan', () => {
  const s = resolveScenario(
    {
      ...base,
      requests: [
        { name: 'create', path: '/items', capture: [{ json: '$.id', as: 'id' }], expect: { json: { '$.name': { equals: 'item-{{ vu }}' } } } },
        { name: 'read', path: '/items/{{ id }}', expect: { json: { '$.id': { equals: '{{ id }}' } }, body: { contains: '{{ env.TAG }}' }, headers: { 'x-vu': { equals: '{{ vu }}' } } } },
      ],
    },
    's.json',
    {},
    { env: { TAG: 'blue' } },
  );
  assert.deepEqual(s.env, { TAG: 'blue' });
  assert.deepEqual(s.requests[0]!.checks, [{ on: 'json', target: '$.name', op: 'equals', value: 'item-{{ vu }}' }]);
  assert.deepEqual(s.requests[1]!.checks!.map((c) => c.value), ['{{ id }}', '{{ env.TAG }}', '{{ vu }}']);
});

test('property: any template in a header, body, json string or check value resolves or is refused with every problem at that field', () => {
  const inner = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('vu', 'id', 'nope', 'env.SET', 'env.UNSET', 'env.UNSET ?? "x"', 'uuid()', 'randomInt(1)', 'data.a', 'setup.b', '"s', 'f(', ''));
  const text = fc.tuple(fc.string({ maxLength: 4 }), inner, fc.constantFrom(' }}', '}}', '', ' } }')).map(([pre, e, close]) => `${pre}{{ ${e}${close}`);
  const fields: Record<string, [(t: string) => object, string]> = {
    header: [(t) => ({ headers: { 'x-t': t } }), '$.requests[0].headers["x-t"]'],
    body: [(t) => ({ body: t }), '$.requests[0].body'],
    json: [(t) => ({ json: { k: [t] } }), '$.requests[0].json.k[0]'],
    checkJson: [(t) => ({ expect: { json: { '$.n': { equals: t } } } }), '$.requests[0].expect.json["$.n"].equals'],
    checkBody: [(t) => ({ expect: { body: { notContains: t } } }), '$.requests[0].expect.body.notContains'],
    checkHeader: [(t) => ({ expect: { headers: { 'x-h': { equals: t } } } }), '$.requests[0].expect.headers["x-h"].equals'],
  };
  const field = fc.constantFrom(...Object.keys(fields));
  fc.assert(
    fc.property(text, field, (t, where) => {
      const [shape, at] = fields[where]!;
      const request = { name: 'r', path: '/r', capture: [{ json: '$.id', as: 'id' }], ...shape(t) };
      try {
        resolveScenario({ ...base, requests: [request] }, 'p.json', {}, { env: { SET: 'S3CRET-VAL' } });
      } catch (err) {
        assert.ok(err instanceof InputError, String(err));
        assert.ok(err.problems.length > 0);
        for (const p of err.problems) {
          assert.equal(p.path, at, `${t}: ${p.message}`);
          assert.ok(!`${p.message} ${p.hint ?? ''}`.includes('S3CRET-VAL'), 'a problem shows an env value');
        }
      }
    }),
    { numRuns: 1500 },
  );
});
