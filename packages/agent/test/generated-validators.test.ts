/**
 * The protocol validators are ajv standalone code generated at build time
 * (scripts/gen-validators.mjs → src/generated/protocol-validators.ts from
 * scripts/protocol-schemas.mjs). These tests fail when they have drifted from
 * the schemas or judge a message differently from ajv compiling the schemas
 * at run time, as remote/schemas.ts used to.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { VALIDATORS } from '../src/generated/protocol-validators.js';

/** Seen from dist/test/. */
const SCRIPTS = new URL('../../scripts/', import.meta.url);
const GENERATED = new URL('../../src/generated/protocol-validators.ts', import.meta.url);

type Direction = keyof typeof VALIDATORS;
type Schema = { properties: { type: { const: string } } };
const generator = (await import(new URL('gen-validators.mjs', SCRIPTS).href)) as { generate(): string };
const { AJV_OPTIONS, SCHEMAS } = (await import(new URL('protocol-schemas.mjs', SCRIPTS).href)) as {
  AJV_OPTIONS: object;
  SCHEMAS: Record<Direction, Schema[]>;
};

test('the generated protocol validators are up to date with scripts/protocol-schemas.mjs', () => {
  assert.ok(
    readFileSync(GENERATED, 'utf8') === generator.generate(),
    'src/generated/protocol-validators.ts differs from what scripts/protocol-schemas.mjs gives: run `pnpm build`',
  );
});

test('every message type has a generated validator that judges messages like ajv at run time', () => {
  const ajv = new Ajv(AJV_OPTIONS);
  const int = [0, 1, -1, 1.5, '1', null];
  for (const direction of ['controller', 'agent'] as const) {
    const types = SCHEMAS[direction].map((s) => s.properties.type.const);
    assert.deepEqual([...VALIDATORS[direction].keys()], types);
    for (const schema of SCHEMAS[direction]) {
      const type = schema.properties.type.const;
      const compiled: ValidateFunction = ajv.compile(schema);
      const generated = VALIDATORS[direction].get(type)!;
      const messages: unknown[] = [
        { v: 1, type },
        { v: 2, type, extra: true },
        ...int.map((n) => ({ v: 1, type, id: n, t: n, time: n, agentId: 'a', runId: 'r', startAt: n, reason: 'x', code: 'c', message: 'm' })),
        { v: 1, type, name: '', threads: 0 },
        { v: 1, type, name: 'x'.repeat(201), threads: 1 },
        { v: 1, type, name: 'n', threads: 2 },
        { v: 1, type, runId: 'r', results: [{ share: 0, lastSeq: -1, interrupted: 0, stoppedEarly: false }, { share: 0, lastSeq: -2 }] },
        { v: 1, type, runId: 'r', scenario: { name: 'n' }, shares: [], totalShares: 0, seed: 1 },
        {
          v: 1,
          type,
          runId: 'r',
          snapshot: {
            share: 0, seq: 1, second: 2, vus: 3, dropped: 0,
            endpoints: { a: { requests: 1, ok: 1, failed: 0, bytes: 1, errors: { x: -1 }, latency: '', serviceTime: '', ttfb: 1 } },
            generator: { lagMaxMs: 0, lagMeanMs: 0, utilization: 'x' },
          },
        },
      ];
      for (const msg of messages) {
        const ok = generated(msg);
        assert.equal(ok, compiled(msg), `${direction} ${JSON.stringify(msg)}`);
        assert.deepEqual(ok ? null : generated.errors, ok ? null : compiled.errors, `${direction} ${JSON.stringify(msg)}`);
      }
    }
  }
});
