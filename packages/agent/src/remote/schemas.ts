/**
 * JSON Schemas of every protocol message, compiled once with ajv. The
 * snapshot schema is strict (it is merged into the report); the scenario in
 * a plan is checked for the fields an agent relies on before loading.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const int = { type: 'integer', minimum: 0 };
const num = { type: 'number' };
const str = { type: 'string' };
const counts = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } };

const endpoint = {
  type: 'object',
  required: ['requests', 'ok', 'failed', 'bytes', 'errors', 'latency', 'serviceTime', 'ttfb'],
  additionalProperties: false,
  properties: { requests: int, ok: int, failed: int, bytes: int, errors: counts, latency: str, serviceTime: str, ttfb: str },
};

const snapshot = {
  type: 'object',
  required: ['share', 'seq', 'second', 'vus', 'dropped', 'endpoints', 'generator'],
  additionalProperties: false,
  properties: {
    share: int,
    seq: int,
    second: int,
    vus: int,
    dropped: int,
    endpoints: { type: 'object', additionalProperties: endpoint },
    generator: {
      type: 'object',
      required: ['lagMaxMs', 'lagMeanMs', 'utilization'],
      additionalProperties: false,
      properties: { lagMaxMs: num, lagMeanMs: num, utilization: num },
    },
  },
};

const scenario = {
  type: 'object',
  required: ['name', 'target', 'executor', 'gracefulStopMs', 'flow', 'requests', 'http', 'thresholds'],
  properties: { name: str, target: str, executor: { type: 'object', required: ['type'] }, requests: { type: 'array', minItems: 1 } },
};

const shareResult = {
  type: 'object',
  required: ['share', 'lastSeq', 'interrupted', 'stoppedEarly'],
  properties: { share: int, lastSeq: { type: 'integer', minimum: -1 }, interrupted: int, stoppedEarly: { type: 'boolean' } },
};

/** One message type: its own fields beside v and type. */
function message(type: string, fields: Record<string, unknown>, optional: Record<string, unknown> = {}) {
  return {
    type: 'object',
    required: ['v', 'type', ...Object.keys(fields)],
    additionalProperties: false,
    properties: { v: { const: 1 }, type: { const: type }, ...fields, ...optional },
  };
}

const heartbeat = [message('ping', { id: int, t: num }), message('pong', { id: int, t: num, time: num })];

const SCHEMAS = {
  controller: [
    ...heartbeat,
    message('welcome', { agentId: str }),
    message('plan', { runId: str, scenario, shares: { type: 'array', items: int, minItems: 1 }, totalShares: { type: 'integer', minimum: 1 }, seed: int }),
    message('start', { runId: str, startAt: num }),
    message('stop', { runId: str }),
    message('leave', { reason: str }),
    message('error', { code: str, message: str }),
  ],
  agent: [
    ...heartbeat,
    message('hello', { name: { type: 'string', minLength: 1, maxLength: 200 }, threads: { type: 'integer', minimum: 1 } }),
    message('ready', { runId: str }),
    message('snapshot', { runId: str, snapshot }),
    message('done', { runId: str, results: { type: 'array', items: shareResult } }),
    message('error', { code: str, message: str }, { runId: str }),
  ],
} as const;

/**
 * A checker for one direction: null when the message is valid, else the
 * reason. The schemas are compiled on the first message (~0.2 s of ajv), so
 * a local run, which never speaks this protocol, does not pay for them.
 */
export function validatorFor(direction: keyof typeof SCHEMAS): (value: unknown) => string | null {
  let byType: Map<string, ValidateFunction> | undefined;
  const compiled = (): Map<string, ValidateFunction> => {
    if (byType) return byType;
    const ajv = new Ajv({ allErrors: false, strict: false });
    byType = new Map();
    for (const schema of SCHEMAS[direction]) byType.set(schema.properties.type.const, ajv.compile(schema));
    return byType;
  };
  return (value) => {
    const type = (value as { type?: unknown } | null)?.type;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'message is not a JSON object';
    const check = typeof type === 'string' ? compiled().get(type) : undefined;
    if (!check) return `unknown message type ${JSON.stringify(type)} from ${direction === 'agent' ? 'an agent' : 'the controller'}`;
    return check(value) ? null : `bad "${type}" message: ${describe(check.errors?.[0])}`;
  };
}

function describe(e: ErrorObject | undefined): string {
  if (!e) return 'invalid';
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where} has unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}
