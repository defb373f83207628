/**
 * JSONPath selection (journey/json-path.ts): a path of plain names takes a
 * direct walk instead of the library's tracer, and must select exactly what
 * jsonpath-plus selects, on any JSON document; other paths go to the
 * library itself.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { JSONPath } from 'jsonpath-plus';
import { compileJsonPath } from '../src/journey/json-path.js';

const library = (path: string, doc: unknown): unknown[] => {
  const found: unknown = JSONPath({ path, json: doc as object, wrap: true, eval: 'safe', ignoreEvalErrors: true });
  return Array.isArray(found) ? found : [];
};

/** Names that occur in the documents below, and some that pick array indexes, string characters or lengths. */
const NAME = fc.constantFrom('a', 'b', 'id', 'items', 'name', '0', '1', '2', 'length', '-1', 'x y');
const DOC = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, 1, -2.5, '', 'abc', 'item-7'),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(NAME, tie('value'), { maxKeys: 4 }),
  ),
})).value;
/** A path of plain names, written with dots or brackets (quoted names, bare indexes). */
const PATH = fc.array(fc.tuple(NAME, fc.constantFrom('dot', 'quoted', 'index')), { minLength: 1, maxLength: 4 }).map((parts) =>
  '$' +
  parts
    .map(([name, form]) => (form === 'quoted' || name === 'x y' ? `['${name}']` : form === 'index' && /^\d+$/.test(name) ? `[${name}]` : `.${name}`))
    .join(''),
);

test('a path of plain names selects exactly what jsonpath-plus selects, on any document', () => {
  fc.assert(
    fc.property(DOC, PATH, (doc, path) => {
      assert.deepStrictEqual(compileJsonPath(path)(doc), library(path, doc), path);
    }),
    { numRuns: 3000 },
  );
});

test('paths with wildcards, descent, filters and unions still go to the library', () => {
  const doc = { items: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], a: { b: { id: 3 } } };
  for (const path of ['$.items[*].id', '$..id', '$.items[?(@.id > 1)].name', "$['a','items']", '$.items[0:1]', '$.items.length', '$.a.b.id', '$.missing.id']) {
    assert.deepStrictEqual(compileJsonPath(path)(doc), library(path, doc), path);
  }
  assert.deepStrictEqual(compileJsonPath('$..id')(doc), [1, 2, 3]);
  assert.deepStrictEqual(compileJsonPath('$.a.b.id')(doc), [3]);
  assert.deepStrictEqual(compileJsonPath('$.missing.id')(doc), []);
});
