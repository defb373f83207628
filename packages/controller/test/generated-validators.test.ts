/**
 * The scenario validator is ajv standalone code generated at build time
 * (scripts/gen-validators.mjs → src/generated/scenario-validator.ts). These
 * tests fail when it has drifted from scenarios/schema.json (the schema was
 * edited without rebuilding) or when it judges any document differently from
 * ajv compiling the schema at run time, as schema-check.ts used to.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { validateScenario } from '../src/generated/scenario-validator.js';

/** Seen from dist/test/. */
const GENERATOR = new URL('../../scripts/gen-validators.mjs', import.meta.url);
const GENERATED = new URL('../../src/generated/scenario-validator.ts', import.meta.url);
const SCENARIOS = new URL('../../../../scenarios/', import.meta.url);

const generator = (await import(GENERATOR.href)) as { generate(): string; AJV_OPTIONS: object };
const schema = JSON.parse(readFileSync(new URL('schema.json', SCENARIOS), 'utf8')) as object;
const compiled = new Ajv(generator.AJV_OPTIONS).compile(schema);

test('the generated validator is up to date with scenarios/schema.json', () => {
  assert.ok(
    readFileSync(GENERATED, 'utf8') === generator.generate(),
    'src/generated/scenario-validator.ts differs from what scenarios/schema.json gives: run `pnpm build`',
  );
});

/** The generated validator's verdict and errors equal run-time ajv's. */
function assertSameVerdict(doc: unknown): void {
  const ok = validateScenario(doc);
  assert.equal(ok, compiled(doc), JSON.stringify(doc));
  assert.deepEqual(ok ? null : validateScenario.errors, ok ? null : compiled.errors, JSON.stringify(doc));
}

const base = { target: 'http://127.0.0.1:3000', executor: 'constant-vus', vus: 2, duration: '1s', requests: [{ path: '/' }] };

test('the generated validator judges documents exactly like ajv at run time', () => {
  const shipped = readdirSync(SCENARIOS).filter((f) => f.endsWith('.json') && f !== 'schema.json');
  assert.ok(shipped.length > 0);
  for (const f of shipped) assertSameVerdict(JSON.parse(readFileSync(new URL(f, SCENARIOS), 'utf8')));
  const bad: unknown[] = [
    null,
    [],
    'scenario',
    {},
    { ...base, vus: 'ten', duration: '10 seconds', executor: 'constant-vu', nmae: 'x' },
    { ...base, vus: 0, rate: 0, maxVUs: 1.5, startRate: -1, name: '', allowHosts: [''] },
    { ...base, thinkTime: { min: '1s' }, flow: 'sideways', stages: [] },
    { ...base, thinkTime: 5, gracefulStop: '1 s', arrivalWindow: null },
    { ...base, http: { pipelining: 0, connections: 'per-thread', headers: { a: 1 }, timeout: 5, x: 1 } },
    { ...base, http: { connections: 0 } },
    { ...base, requests: [] },
    { ...base, requests: [{ path: 'x', method: 'FETCH', weight: 0, expect: { status: [200, 200, 600, 99] } }, { name: 'a' }, 3] },
    { ...base, requests: [{ path: '/', expect: { status: [] }, json: {}, body: 1 }] },
    { ...base, requests: [{ path: '/', expect: { status: [100, 599] } }, { path: '/', expect: { status: [99] } }] },
    { ...base, thresholds: { 'latency.p99': {}, errorRate: { abortOnFail: true }, x: 1, y: { critical: 1, bogus: true } } },
    { ...base, target: 'ftp://example.com', $schema: 1, description: [] },
  ];
  for (const doc of bad) assertSameVerdict(doc);
});

test('the generated validator judges arbitrary documents like ajv at run time', () => {
  const keys = ['name', 'target', 'executor', 'vus', 'duration', 'stages', 'rate', 'thinkTime', 'flow', 'requests', 'http', 'thresholds', 'extra'];
  const value = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('1s', '0', 'constant-vus', '/x', 'http://127.0.0.1:9', 'per-vu'));
  const doc = fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 8 });
  const request = fc.dictionary(fc.constantFrom('name', 'method', 'path', 'weight', 'expect', 'json', 'body', 'headers', 'x'), value, { maxKeys: 5 });
  fc.assert(fc.property(doc, (d) => assertSameVerdict(d)), { numRuns: 300 });
  fc.assert(fc.property(fc.array(request, { maxLength: 3 }), (requests) => assertSameVerdict({ ...base, requests })), { numRuns: 300 });
});
