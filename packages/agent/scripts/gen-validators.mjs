#!/usr/bin/env node
/**
 * Build step, run by the root prepare/build/test scripts before `tsc -b`:
 * compiles the protocol message schemas and the plan's scenario schema
 * (protocol-schemas.mjs) ahead of time
 * with ajv's standalone code generation into
 * src/generated/protocol-validators.ts, so a run loads no ajv compiler and
 * compiles no schema. The output is git-ignored, and rewritten only when its
 * text changes (so `tsc -b` stays incremental).
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { standaloneModule, writeIfChanged } from './ajv-standalone.mjs';
import { AJV_OPTIONS, PLAN_SCENARIO, SCHEMAS } from './protocol-schemas.mjs';

const require = createRequire(import.meta.url);
const { Ajv } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;

export const OUTPUT = new URL('../src/generated/protocol-validators.ts', import.meta.url);

/** The text of src/generated/protocol-validators.ts. */
export function generate() {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true, lines: true } });
  const names = {};
  const maps = [];
  // A schema both sides send (ping, pong) is compiled once: ajv's standalone
  // code would declare its function twice if it were exported under two names.
  const nameOf = new Map();
  for (const [direction, schemas] of Object.entries(SCHEMAS)) {
    const entries = [];
    for (const schema of schemas) {
      const type = schema.properties.type.const;
      if (!nameOf.has(schema)) {
        const name = `${direction}_${type}`;
        ajv.addSchema(schema, name);
        names[name] = name;
        nameOf.set(schema, name);
      }
      entries.push(`[${JSON.stringify(type)}, ${nameOf.get(schema)}]`);
    }
    maps.push(`  ${direction}: new Map<string, Validator>([${entries.join(', ')}]),`);
  }
  ajv.addSchema(PLAN_SCENARIO, 'plan_scenario');
  names.plan_scenario = 'plan_scenario';
  return standaloneModule(standaloneCode(ajv, names), Object.keys(names), {
    generator: 'packages/agent/scripts/gen-validators.mjs',
    source: 'packages/agent/scripts/protocol-schemas.mjs',
    tail: [
      '/** Each message type\'s validator, by the side that sends it. */',
      'export const VALIDATORS: { readonly controller: ReadonlyMap<string, Validator>; readonly agent: ReadonlyMap<string, Validator> } = {',
      ...maps,
      '};',
      '',
      "/** The scenario a plan carries, checked by the agent before it answers (see PLAN_SCENARIO in protocol-schemas.mjs). */",
      'export const PLAN_SCENARIO: Validator = plan_scenario;',
    ],
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeIfChanged(OUTPUT, generate());
