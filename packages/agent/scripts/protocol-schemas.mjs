/**
 * JSON Schemas of every protocol message, by the direction it travels. Build
 * time only: gen-validators.mjs compiles them into
 * src/generated/protocol-validators.ts (ajv standalone code), which
 * src/remote/schemas.ts uses. The snapshot schema is strict (it is merged
 * into the report); the scenario in a plan is checked for the fields an agent
 * relies on before loading.
 */

const int = { type: 'integer', minimum: 0 };
const num = { type: 'number' };
const str = { type: 'string' };
const counts = { type: 'object', additionalProperties: { type: 'integer', minimum: 0 } };

const endpoint = {
  type: 'object',
  required: ['requests', 'ok', 'failed', 'bytes', 'errors', 'latency', 'serviceTime', 'ttfb'],
  additionalProperties: false,
  properties: { requests: int, ok: int, failed: int, bytes: int, resent: int, errors: counts, latency: str, serviceTime: str, ttfb: str },
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
      properties: { lagMaxMs: num, lagMeanMs: num, utilization: num, intervalMs: num },
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
function message(type, fields, optional = {}) {
  return {
    type: 'object',
    required: ['v', 'type', ...Object.keys(fields)],
    additionalProperties: false,
    properties: { v: { const: 1 }, type: { const: type }, ...fields, ...optional },
  };
}

const heartbeat = [message('ping', { id: int, t: num }), message('pong', { id: int, t: num, time: num })];

/** The options the schemas are compiled with (plus ajv's `code` options for standalone output). */
export const AJV_OPTIONS = { allErrors: false, strict: false };

/** Message schemas by sender: "controller" messages are what an agent receives, "agent" what the controller receives. */
export const SCHEMAS = {
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
};
