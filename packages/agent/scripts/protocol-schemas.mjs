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
/** Responses of an interval by the protocol they came over. */
const protocols = { type: 'object', required: ['h1', 'h2'], additionalProperties: false, properties: { h1: int, h2: int } };
/** Passes and fails of each response check, by check name. */
const checkCounts = {
  type: 'object',
  additionalProperties: { type: 'object', required: ['passes', 'fails'], additionalProperties: false, properties: { passes: int, fails: int } },
};

/**
 * Request phase histograms by phase name (report's timing.ts). Only their
 * type here: a nested object with every name spelled out makes the generated
 * validator too deep for tsc's flow analysis (it overflowed its stack); the
 * report's snapshot check requires exactly the six names.
 */
const phases = { type: 'object', maxProperties: 6, additionalProperties: str };

const endpoint = {
  type: 'object',
  required: ['requests', 'ok', 'failed', 'bytes', 'errors', 'latency', 'serviceTime', 'ttfb'],
  additionalProperties: false,
  properties: { requests: int, ok: int, failed: int, bytes: int, resent: int, skipped: int, protocols, captureMisses: counts, errors: counts, errorExamples: { type: 'object', maxProperties: 16, additionalProperties: { type: 'string', maxLength: 64 } }, latency: str, serviceTime: str, ttfb: str, connectionsOpened: int, phases, checks: checkCounts },
};

const snapshot = {
  type: 'object',
  required: ['share', 'seq', 'second', 'vus', 'dropped', 'endpoints', 'generator'],
  // A definition, compiled as its own function (AJV_OPTIONS), as the plan's http is.
  definitions: { endpoint: { $id: 'novaload-endpoint', ...endpoint } },
  additionalProperties: false,
  properties: {
    share: int,
    seq: int,
    second: int,
    vus: int,
    dropped: int,
    iterations: int,
    endpoints: { type: 'object', additionalProperties: { $ref: 'novaload-endpoint' } },
    generator: {
      type: 'object',
      required: ['lagMaxMs', 'lagMeanMs', 'utilization'],
      additionalProperties: false,
      properties: { lagMaxMs: num, lagMeanMs: num, utilization: num, intervalMs: num },
    },
  },
};

const ms = { type: 'number', minimum: 0 };
const vus = { type: 'integer', minimum: 0 };
/** Header names are HTTP tokens; values hold no control characters (a CR or LF would split the request). */
const headers = {
  type: 'object',
  propertyNames: { pattern: "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$" },
  additionalProperties: { type: 'string', pattern: '^[^\\u0000-\\u0008\\u000a-\\u001f\\u007f]*$' },
};
const stages = { type: 'array', minItems: 1, items: { type: 'object', required: ['durationMs', 'target'], additionalProperties: false, properties: { durationMs: ms, target: vus } } };
const open = { maxVUs: { type: 'integer', minimum: 1 }, maxQueue: vus, arrivalWindowMs: ms };

/** The fields of each executor config, by its type. */
const executors = {
  'constant-vus': { vus, durationMs: ms },
  'ramping-vus': { startVUs: vus, stages },
  'constant-arrival-rate': { rate: { type: 'number', exclusiveMinimum: 0 }, durationMs: ms, ...open },
  'ramping-arrival-rate': { startRate: { type: 'number', minimum: 0 }, stages, ...open },
  'per-vu-iterations': { vus, iterations: vus, maxDurationMs: ms },
  'shared-iterations': { vus, iterations: vus, maxDurationMs: ms },
};

/** An executor config with exactly the fields its type has (if/then per type, so an error names the field, not a oneOf). */
const executor = {
  type: 'object',
  required: ['type'],
  properties: { type: { enum: Object.keys(executors) } },
  allOf: Object.entries(executors).map(([type, fields]) => ({
    if: { properties: { type: { const: type } } },
    then: { required: Object.keys(fields), additionalProperties: false, properties: { type: true, ...fields } },
  })),
};

/**
 * The resolved scenario a plan carries (packages/agent/src/scenario.ts), as
 * strict as the file schema a local run checks: every field typed and
 * bounded, no unknown field. Checked by the agent on its own (remote/
 * plan-check.ts), so a bad scenario is refused with an `error` reply rather
 * than by closing the connection. Thresholds are judged on the controller
 * only, so the agent checks no more than their container.
 */
const thinkTime = { required: ['minMs', 'maxMs'], additionalProperties: false, properties: { minMs: ms, maxMs: ms } };
/** A response check (ResolvedCheck): the agent compiles it and refuses a bad path or regex itself. */
const check = {
  type: 'object',
  required: ['on', 'target', 'op', 'value'],
  additionalProperties: false,
  properties: { on: { enum: ['json', 'body', 'header'] }, target: str, op: { enum: ['exists', 'equals', 'matches', 'contains', 'notContains'] }, value: true },
};

/** A capture: exactly one source and the name it is stored as (journey/capture.ts). */
const capture = {
  type: 'object',
  required: ['as'],
  minProperties: 2,
  maxProperties: 2,
  additionalProperties: false,
  properties: { as: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' }, json: str, header: str, regex: str, cookie: str },
};

/** A PEM text: one or more BEGIN/END blocks (a CA bundle may hold many), at most `kib` KiB. */
const pem = (kib) => ({ type: 'string', minLength: 1, maxLength: kib * 1024, pattern: '^\\s*-----BEGIN [A-Z0-9 ]+-----' });

/**
 * `http.tls` (TlsSettings): PEM contents read by the controller. A CA
 * bundle as large as a system's (~220 KiB) fits; a certificate chain or a
 * key far beyond any real one (an 8192-bit RSA key is ~6 KiB) does not.
 */
const tls = {
  type: 'object',
  additionalProperties: false,
  dependencies: { cert: ['key'], key: ['cert'] },
  properties: {
    ca: pem(1024),
    cert: pem(256),
    key: pem(64),
    servername: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.-]+$' },
    insecure: { type: 'boolean' },
  },
};

/** `http` (HttpSettings) of a plan's scenario: a definition, compiled as its own function (inline, the validator outgrew what tsc can analyse). */
const http = {
  type: 'object',
  required: ['timeoutMs', 'connectTimeoutMs', 'headers', 'connections', 'pipelining'],
  additionalProperties: false,
  properties: {
    timeoutMs: { type: 'number', exclusiveMinimum: 0 },
    connectTimeoutMs: { type: 'number', exclusiveMinimum: 0 },
    headers,
    connections: { anyOf: [{ const: 'per-vu' }, { type: 'integer', minimum: 1 }] },
    pipelining: { type: 'integer', minimum: 1 },
    version: { enum: ['1.1', '2', 'auto'] },
    maxConcurrentStreams: { type: 'integer', minimum: 1 },
    allowMetadata: { type: 'boolean' },
    resendOnStaleConnection: { type: 'boolean' },
    cookies: { type: 'boolean' },
    maxRedirects: { type: 'integer', minimum: 0 },
    allowHosts: { type: 'array', items: { type: 'string', minLength: 1 } },
    tls,
  },
};

export const PLAN_SCENARIO = {
  type: 'object',
  required: ['name', 'target', 'executor', 'gracefulStopMs', 'thinkTime', 'flow', 'requests', 'http', 'thresholds'],
  definitions: { http },
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    target: { type: 'string', minLength: 1, maxLength: 2048 },
    executor,
    gracefulStopMs: ms,
    thinkTime: { type: ['null', 'object'], ...thinkTime },
    flow: { enum: ['random', 'sequence'] },
    requests: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'method', 'path', 'headers', 'body', 'weight', 'expectStatus'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1 },
          method: { enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] },
          path: { type: 'string', pattern: '^/' },
          headers,
          body: { type: ['string', 'null'] },
          weight: { type: 'number', exclusiveMinimum: 0 },
          expectStatus: { type: ['null', 'array'], minItems: 1, items: { type: 'integer', minimum: 100, maximum: 599 } },
          thinkTime: { type: 'object', ...thinkTime },
          checks: { type: 'array', items: check },
          json: {},
          capture: { type: 'array', maxItems: 64, items: capture },
        },
      },
    },
    http: { $ref: '#/definitions/http' },
    thresholds: { type: 'object' },
    data: {
      type: 'object',
      required: ['file', 'mode', 'onExhausted', 'columns', 'rows'],
      additionalProperties: false,
      properties: {
        file: { type: 'string', minLength: 1 },
        mode: { enum: ['per-vu', 'sequential', 'random'] },
        onExhausted: { enum: ['recycle', 'stop'] },
        columns: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
        rows: { type: 'integer', minimum: 1 },
      },
    },
    env: { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }, additionalProperties: str },
    setupValues: { type: 'object', propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' } },
  },
};

/** One share's data rows (packages/agent/src/data.ts ShareRows); plan-check.ts checks they fit the columns and the file. */
const shareRows = {
  type: 'object',
  required: ['index', 'count', 'cells'],
  additionalProperties: false,
  properties: { index: { type: ['null', 'array'], items: int }, count: { type: 'integer', minimum: 1 }, cells: str },
};

/** In a plan message only an object: its content is PLAN_SCENARIO's to judge, so a bad one gets an `error` reply. */
const scenario = { type: 'object' };

const shareResult = {
  type: 'object',
  required: ['share', 'lastSeq', 'interrupted', 'stoppedEarly'],
  properties: {
    share: int,
    lastSeq: { type: 'integer', minimum: -1 },
    interrupted: int,
    stoppedEarly: { type: 'boolean' },
    data: {
      type: 'object',
      required: ['taken', 'exhaustedAtMs'],
      additionalProperties: false,
      properties: { taken: int, exhaustedAtMs: { type: ['null', 'number'], minimum: 0 } },
    },
  },
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
/** inlineRefs false: a $ref'd definition (a snapshot's endpoint, a plan's http) is its own function; inline, the validators outgrew what tsc can analyse. */
export const AJV_OPTIONS = { allErrors: false, strict: false, inlineRefs: false };

/** Message schemas by sender: "controller" messages are what an agent receives, "agent" what the controller receives. */
export const SCHEMAS = {
  controller: [
    ...heartbeat,
    message('welcome', { agentId: str }),
    message('plan', { runId: str, scenario, shares: { type: 'array', items: int, minItems: 1 }, totalShares: { type: 'integer', minimum: 1 }, seed: int }, { rows: { type: 'array', items: shareRows } }),
    message('start', { runId: str, startAt: num }),
    message('stop', { runId: str }, { now: { type: 'boolean' } }),
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
