/**
 * Structural validation against the published JSON Schema
 * (scenarios/schema.json), with ajv's errors rewritten for people: each at
 * its JSON path, unknown fields with "did you mean". The schema file is the
 * single source, so editors and `novaload validate` agree on the shape; it is
 * compiled at build time (scripts/gen-validators.mjs, ajv standalone code),
 * so no ajv compiler is loaded at run time.
 */
import type { ErrorObject } from 'ajv';
import { didYouMean } from '@novaload/report';
import { validateScenario } from '../generated/scenario-validator.js';
import { ABORT_WITHOUT_FOR_HINT, k6ExecutorHint, k6FieldHint, k6Threshold } from './k6.js';
import { jsonPath, type ProblemList, type Segment } from './problems.js';
import type { RawScenario } from './raw.js';

/**
 * Check `raw` against the schema, recording every error, and return a copy
 * with wrongly typed values removed (array items become holes) so later
 * checks can read it as a RawScenario; undefined when the file is not an object.
 * Pattern errors are left to the later checks, which explain them with hints.
 */
export function checkSchema(raw: unknown, problems: ProblemList, skipEntries = false): RawScenario | undefined {
  if (validateScenario(raw)) return raw as RawScenario;
  // A run file's entries are checked one by one as scenarios (run-file.ts), each with its defaults filled in.
  const errors = (validateScenario.errors ?? []).filter((e) => !(skipEntries && /^\/scenarios\/[^/]+/.test(e.instancePath)));
  for (const e of errors) {
    const at = segmentsOf(raw, e.instancePath);
    const explained = explain(e, at);
    if (explained) problems.add(jsonPath(...explained.at), explained.message, explained.hint);
  }
  let copy: unknown = structuredClone(raw);
  for (const e of errors) if (e.keyword === 'type') copy = removeAt(copy, segmentsOf(raw, e.instancePath));
  return isObject(copy) ? (copy as RawScenario) : undefined;
}

interface Explained {
  at: Segment[];
  message: string;
  hint?: string;
}

function explain(e: ErrorObject, at: Segment[]): Explained | undefined {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'pattern':
    case 'if':
    case 'propertyNames':
      return undefined;
    case 'required':
      return { at: [...at, String(p.missingProperty)], message: 'required field is missing' };
    case 'additionalProperties': {
      const field = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      const guess = didYouMean(field, allowed);
      return { at: [...at, field], message: `unknown field "${field}"`, hint: k6FieldHint(at, field) ?? (guess ? `did you mean "${guess}"?` : `allowed here: ${allowed.join(', ')}`) };
    }
    case 'type': {
      const k6 = at.length === 2 && at[0] === 'thresholds' ? k6Threshold(String(at[1]), e.data) : undefined;
      if (k6) return { at, ...k6 };
      return { at, message: `must be ${String(p.type).split(',').map(withArticle).join(' or ')}, not ${show(e.data)}` };
    }
    case 'enum': {
      if (e.propertyName !== undefined) return runFileField(at, e.propertyName, e.schema as string[]);
      const allowed = (p.allowedValues as unknown[]).map(String);
      const guess = typeof e.data === 'string' ? didYouMean(e.data, allowed) : undefined;
      return { at, message: `${show(e.data)} is not allowed`, hint: k6ExecutorHint(e.data) ?? (guess ? `did you mean "${guess}"?` : `use one of: ${allowed.join(', ')}`) };
    }
    case 'minimum':
      return { at, message: `must be at least ${String(p.limit)}, not ${show(e.data)}` };
    case 'exclusiveMinimum':
      return { at, message: `must be more than ${String(p.limit)}, not ${show(e.data)}` };
    case 'maximum':
      return { at, message: `must be at most ${String(p.limit)}, not ${show(e.data)}` };
    case 'minProperties': {
      const allowed = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
      return { at, message: 'must not be empty', ...(allowed.length > 0 && { hint: `give ${allowed.join(' or ')}` }) };
    }
    case 'dependencies':
      return { at: [...at, String(p.property)], message: `needs "${String(p.missingProperty)}" beside it`, ...(p.property === 'abortOnFail' && { hint: ABORT_WITHOUT_FOR_HINT }) };
    case 'minItems':
    case 'minLength':
      return { at, message: 'must not be empty' };
    case 'uniqueItems':
      return { at, message: `items ${String(p.j)} and ${String(p.i)} are the same` };
    default:
      return { at, message: e.message ?? `fails ${e.keyword}` };
  }
}

/** A scenario field at the top of a run file, where only the run's own fields and defaults go (the schema's propertyNames). */
function runFileField(at: Segment[], field: string, allowed: readonly string[]): Explained {
  return { at: [...at, field], message: `"${field}" belongs in an entry of "scenarios", not at the top of a run file`, hint: `a run file's top level takes ${allowed.join(', ')}; move "${field}" into each workload that needs it` };
}

/** Decode a JSON pointer against the data, so array indexes become numbers. */
function segmentsOf(data: unknown, pointer: string): Segment[] {
  if (pointer === '') return [];
  const out: Segment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg: Segment = Array.isArray(node) ? Number(key) : key;
    out.push(seg);
    node = isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return out;
}

function removeAt(data: unknown, at: Segment[]): unknown {
  if (at.length === 0) return undefined;
  let parent = data;
  for (const seg of at.slice(0, -1)) parent = isObject(parent) || Array.isArray(parent) ? (parent as Record<Segment, unknown>)[seg] : undefined;
  const last = at[at.length - 1]!;
  if (Array.isArray(parent)) parent[last as number] = undefined;
  else if (isObject(parent)) delete parent[last];
  return data;
}

function isObject(v: unknown): v is Record<Segment, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function withArticle(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A short rendering of a wrong value for messages. */
function show(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}
