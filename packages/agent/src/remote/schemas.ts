/**
 * Checks every protocol message against its JSON Schema. The schemas live in
 * scripts/protocol-schemas.mjs and are compiled at build time
 * (scripts/gen-validators.mjs, ajv standalone code), so no ajv compiler is
 * loaded at run time.
 */
import type { ErrorObject } from 'ajv';
import { VALIDATORS } from '../generated/protocol-validators.js';

/** A checker for one direction: null when the message is valid, else the reason. */
export function validatorFor(direction: keyof typeof VALIDATORS): (value: unknown) => string | null {
  const byType = VALIDATORS[direction];
  return (value) => {
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'message is not a JSON object';
    const check = typeof type === 'string' ? byType.get(type) : undefined;
    if (!check) return `unknown message type ${JSON.stringify(type)} from ${direction === 'agent' ? 'an agent' : 'the controller'}`;
    return check(value) ? null : `bad "${type}" message: ${describe(check.errors?.[0])}`;
  };
}

/** One ajv error as a short phrase naming where it is ("/executor/vus must be integer"). */
export function describe(e: ErrorObject | undefined): string {
  if (!e) return 'invalid';
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where} has unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}
