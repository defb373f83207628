#!/usr/bin/env node
/**
 * Build step, run by the root prepare/build/test scripts before `tsc -b`:
 * compiles the scenario JSON Schema (scenarios/schema.json, the single source
 * editors use too) ahead of time with ajv's standalone code generation into
 * src/generated/scenario-validator.ts, so `novaload run/validate/bench` load
 * no ajv compiler and compile no schema. The output is git-ignored, and
 * rewritten only when its text changes (so `tsc -b` stays incremental).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { standaloneModule, writeIfChanged } from '../../agent/scripts/ajv-standalone.mjs';

const require = createRequire(import.meta.url);
const { Ajv } = require('ajv');
const standaloneCode = require('ajv/dist/standalone').default;

export const SCHEMA = new URL('../../../scenarios/schema.json', import.meta.url);
export const OUTPUT = new URL('../src/generated/scenario-validator.ts', import.meta.url);

/** The options the schema is compiled with (plus ajv's `code` options for standalone output). */
export const AJV_OPTIONS = { allErrors: true, verbose: true, allowUnionTypes: true };

/** The text of src/generated/scenario-validator.ts for `schema` (by default scenarios/schema.json). */
export function generate(schema = JSON.parse(readFileSync(SCHEMA, 'utf8'))) {
  const ajv = new Ajv({ ...AJV_OPTIONS, code: { source: true, esm: true, lines: true } });
  ajv.addSchema(schema, 'scenario');
  return standaloneModule(standaloneCode(ajv, { scenario: 'scenario' }), ['scenario'], {
    generator: 'packages/controller/scripts/gen-validators.mjs',
    source: 'scenarios/schema.json',
    tail: ['/** Validates a scenario file against scenarios/schema.json (every error: allErrors, verbose). */', 'export const validateScenario: Validator = scenario;'],
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeIfChanged(OUTPUT, generate());
