/** An agent's own check of a plan: schema, target, host rules (its own metadata rule), and what fits this machine. */
import assert from 'node:assert/strict';
import { createServer, type AddressInfo, type LookupFunction } from 'node:net';
import { test } from 'node:test';
import { Client } from 'undici';
import { METADATA_HOSTS } from '../src/hosts.js';
import { guardedLookup } from '../src/lookup.js';
import { checkPlan, type AgentLimits } from '../src/remote/plan-check.js';
import type { ResolvedScenario } from '../src/scenario.js';
import { plan, SCENARIO, type Plan } from './helpers/plans.js';

const LIMITS: AgentLimits = { threads: 2, openFiles: 1024, memoryMb: 4096 };


function refusal(p: Plan, limits: AgentLimits = LIMITS): { code: string; message: string } {
  const checked = checkPlan(p, limits);
  assert.ok(!checked.ok, 'expected a refusal');
  return checked;
}

test('a well-formed plan passes with its scenario as sent (thresholds and all)', () => {
  const checked = checkPlan(plan({ ...SCENARIO, thresholds: { 'latency.p99': { critical: '<1s' } } }), LIMITS);
  assert.ok(checked.ok);
  assert.deepEqual(checked.scenario.executor, SCENARIO.executor);
});

test('a target that is not an http(s) URL is refused with what is wrong, not thrown', () => {
  const r = refusal(plan({ ...SCENARIO, target: 'not a url' }));
  assert.equal(r.code, 'PLAN_INVALID');
  assert.match(r.message, /target "not a url" is not an absolute URL/);
  assert.match(refusal(plan({ ...SCENARIO, target: 'file:///etc/passwd' })).message, /is not an http:\/\/ or https:\/\/ URL/);
});

test('the scenario schema is as strict as a local run: fields typed and bounded, nothing unknown, headers without CR/LF', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...SCENARIO, executor: { type: 'constant-vus', vus: -1, durationMs: 1000 } }, /\/executor\/vus must be >= 0/],
    [{ ...SCENARIO, executor: { type: 'constant-vus', vus: 1.5, durationMs: 1000 } }, /\/executor\/vus must be integer/],
    [{ ...SCENARIO, executor: { type: 'constant-vus', vus: 1, durationMs: 1000, maxVUs: 3 } }, /\/executor has unknown field "maxVUs"/],
    [{ ...SCENARIO, executor: { type: 'warp' } }, /\/executor\/type must be equal to one of the allowed values/],
    [{ ...SCENARIO, extra: 1 }, /\/ has unknown field "extra"/],
    [{ ...SCENARIO, requests: [] }, /\/requests must NOT have fewer than 1 items/],
    [{ ...SCENARIO, requests: [{ ...SCENARIO.requests[0], method: 'BREW' }] }, /\/requests\/0\/method/],
    [{ ...SCENARIO, requests: [{ ...SCENARIO.requests[0], path: 'x' }] }, /\/requests\/0\/path must match pattern/],
    [{ ...SCENARIO, http: { ...SCENARIO.http, headers: { 'x-a': 'b\r\nHost: evil' } } }, /\/http\/headers\/x-a must match pattern/],
    [{ ...SCENARIO, http: { ...SCENARIO.http, connections: 0 } }, /\/http\/connections/],
    [{ ...SCENARIO, target: 7 }, /\/target must be string/],
  ];
  for (const [scenario, message] of cases) {
    const r = refusal(plan(scenario));
    assert.equal(r.code, 'PLAN_INVALID');
    assert.match(r.message, message);
    assert.match(r.message, /same novaload version/);
  }
});

test('response checks pass the schema and are compiled by the agent: one it cannot compile is refused, naming the request', () => {
  const withChecks = (checks: unknown) => plan({ ...SCENARIO, requests: [{ ...SCENARIO.requests[0], checks }] });
  assert.ok(checkPlan(withChecks([{ on: 'json', target: '$.token', op: 'exists', value: true }]), LIMITS).ok);
  const badRegex = refusal(withChecks([{ on: 'header', target: 'content-type', op: 'matches', value: '(' }]));
  assert.equal(badRegex.code, 'PLAN_INVALID');
  assert.match(badRegex.message, /request "GET \/" has a check this agent cannot compile: Invalid regular expression/);
  assert.match(refusal(withChecks([{ on: 'json', target: '$.a[', op: 'exists', value: true }])).message, /JSONPath "\$\.a\[" has an unclosed/);
  assert.match(refusal(withChecks([{ on: 'cookie', target: 'a', op: 'exists', value: true }])).message, /invalid/);
  assert.match(refusal(withChecks([{ on: 'body', target: '', op: 'contains' }])).message, /invalid/);
});

test('shares must exist, be distinct, and number at most the agent\'s threads', () => {
  assert.match(refusal(plan(SCENARIO, { shares: [2], totalShares: 2 })).message, /share 2 does not exist in a run of 2 shares/);
  assert.match(refusal(plan(SCENARIO, { shares: [0, 0], totalShares: 2 })).message, /names a share twice/);
  assert.match(refusal(plan(SCENARIO, { shares: [0, 1, 2], totalShares: 3 })).message, /3 shares to an agent with 2 thread/);
});

test('10^7 VUs are refused before anything starts: over the open-file limit, or (pooled) over the memory per VU', () => {
  const huge = { ...SCENARIO, executor: { type: 'constant-vus', vus: 10_000_000, durationMs: 1000 } } as ResolvedScenario;
  const fd = refusal(plan(huge));
  assert.equal(fd.code, 'PLAN_TOO_LARGE');
  assert.match(fd.message, /need about 10000096 file descriptors \(10000000 connections at the peak\) but this agent may open only 1024 \(ulimit -n\)/);
  const pooled = refusal(plan({ ...huge, http: { ...huge.http, connections: 10 } }));
  assert.equal(pooled.code, 'PLAN_TOO_LARGE');
  assert.match(pooled.message, /need about 156506 MB of memory \(10000000 VUs at 16 KB each, plus 128 MB per share\) but this agent has 4096 MB/);
  assert.ok(checkPlan(plan(huge), { ...LIMITS, openFiles: null, memoryMb: 200_000 }).ok, 'it fits where the machine holds it');
});

test('a metadata target is refused in every spelling unless the agent\'s own --allow-hosts names it; allow-lists ignore case', () => {
  // Spellings of the listed metadata hosts, derived from METADATA_HOSTS: only validated here, never connected to.
  const [v4, v6, name] = [METADATA_HOSTS[0]!, METADATA_HOSTS[1]!, METADATA_HOSTS[2]!];
  const octets = v4.split('.').map(Number);
  const hex = (i: number): string => ((octets[i]! << 8) | octets[i + 1]!).toString(16);
  const decimal = octets.reduce((n, o) => n * 256 + o, 0);
  const spellings = [`[::ffff:${v4}]`, `[::ffff:${hex(0)}:${hex(2)}]`, String(decimal), `${v4}.`, `[${v6.replace('::', ':0::')}]`, `${name.replace(/(^|\.)m/g, '$1M')}.`];
  for (const target of spellings.map((h) => `http://${h}`)) {
    const sent = { ...SCENARIO, target, http: { ...SCENARIO.http, allowMetadata: true } };
    const r = refusal(plan(sent));
    assert.equal(r.code, 'TARGET_NOT_ALLOWED', target);
    assert.match(r.message, /is a cloud metadata address; an agent loads it only when started with --allow-hosts/);
  }
  assert.ok(checkPlan(plan({ ...SCENARIO, target: `http://[::ffff:${v4}]` }), { ...LIMITS, allowHosts: [v4] }).ok);
  // The loopback name in other cases (derived, so the test names no host but localhost): host names match case-insensitively.
  const loopback = 'localhost';
  assert.ok(checkPlan(plan({ ...SCENARIO, target: `http://${titleCase(loopback)}` }), { ...LIMITS, allowHosts: [loopback.toUpperCase()] }).ok);
  const outside = refusal(plan(SCENARIO), { ...LIMITS, allowHosts: ['staging.example.invalid'] });
  assert.match(outside.message, /127\.0\.0\.1 is not in this agent's --allow-hosts \(staging\.example\.invalid\); start the agent with --allow-hosts staging\.example\.invalid,127\.0\.0\.1/);
});

test('a plan carrying allowMetadata gets no metadata pass on an agent without --allow-hosts: the name fails with EMETADATA, nothing connects', async () => {
  const sent = { ...SCENARIO, target: 'http://localhost', http: { ...SCENARIO.http, allowMetadata: true } };
  const checked = checkPlan(plan(sent), LIMITS);
  assert.ok(checked.ok);
  assert.equal(checked.scenario.http.allowMetadata, undefined, "the controller's allowMetadata is dropped");
  let asked = 0;
  // The stub resolver stands in for DNS and answers the metadata address; whatever the guard lets through is then
  // sent to a counting server on loopback instead, so even a regression sends no packet off this machine.
  const resolver = ((_h: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    asked++;
    process.nextTick(() => (options.all ? callback(null, [{ address: METADATA_HOSTS[0]!, family: 4 }]) : callback(null, METADATA_HOSTS[0]!, 4)));
  }) as unknown as LookupFunction;
  const guarded = guardedLookup(checked.scenario.http.allowMetadata === true, resolver);
  const toLoopback = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
    guarded(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      callback(null, options.all ? [{ address: '127.0.0.1', family: 4 }] : '127.0.0.1', 4);
    })) as unknown as LookupFunction;
  let connected = 0;
  const server = createServer((socket) => {
    connected++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const client = new Client(`http://localhost:${port}`, { connect: { lookup: toLoopback } });
  const err = await client.request({ method: 'GET', path: '/' }).then(() => null, (e: NodeJS.ErrnoException) => e);
  await client.destroy();
  await new Promise((resolve) => server.close(resolve));
  assert.equal(err?.code, 'EMETADATA');
  assert.equal(asked, 1);
  assert.equal(connected, 0, 'no connection was made');

  const allowed = checkPlan(plan(sent), { ...LIMITS, allowHosts: ['LOCALHOST'] });
  assert.ok(allowed.ok);
  assert.equal(allowed.scenario.http.allowMetadata, true, "only the agent's --allow-hosts allows it");
});

test('data rows: a plan carries one set per share, whole rows of the columns, never the whole table in its scenario', () => {
  const data = { file: 'users.csv', mode: 'sequential' as const, onExhausted: 'stop' as const, columns: ['user', 'pw'], rows: 3 };
  const withData = { ...SCENARIO, data };
  const rows = [{ index: null, count: 2, cells: 'u0\0p0\0u2\0p2' }, { index: null, count: 1, cells: 'u1\0p1' }];
  assert.ok(checkPlan(plan(withData, { rows }), LIMITS).ok);
  assert.match(refusal(plan(withData)).message, /reads users\.csv but the plan carries rows for 0 of its 2 share\(s\)/);
  assert.match(refusal(plan(withData, { rows: [rows[0]!] })).message, /rows for 1 of its 2 share/);
  assert.match(refusal(plan(withData, { rows: [rows[0]!, { index: null, count: 1, cells: 'u1' }] })).message, /share 1's data rows do not fit users\.csv \(2 column\(s\), 3 row\(s\)\)/);
  assert.match(refusal(plan(withData, { rows: [rows[0]!, { index: [7], count: 1, cells: 'u1\0p1' }] })).message, /share 1's data rows do not fit/);
  assert.match(refusal(plan(SCENARIO, { rows })).message, /carries data rows but its scenario reads no data file/);
  const whole = refusal(plan({ ...withData, data: { ...data, cells: ['u0', 'p0'] } }, { rows }));
  assert.equal(whole.code, 'PLAN_INVALID');
});

test('journey parts: a plan whose templates (check values too) do not parse, read a name no request captures, or whose regex does not compile is refused; a good one passes', () => {
  const req = SCENARIO.requests[0]!;
  const withRequests = (requests: ResolvedScenario['requests']) => plan({ ...SCENARIO, requests, env: { T: 'x' } });
  const good = withRequests([
    { ...req, name: 'a', capture: [{ json: '$.id', as: 'id' }, { regex: 'id=(\\d+)', as: 'n' }] },
    { ...req, name: 'b', path: '/b/{{ id }}/{{ vu }}', headers: { authorization: 'Bearer {{ env.T }}' }, body: null, json: { n: '{{ n ?? 0 }}' } },
    { ...req, name: 'c', checks: [{ on: 'json', target: '$.id', op: 'equals', value: '{{ id }}' }, { on: 'body', target: '', op: 'contains', value: 'item-{{ vu }}' }, { on: 'json', target: '$.n', op: 'matches', value: '^\\d{{2}}$' }] },
  ]);
  assert.ok(checkPlan(good, LIMITS).ok);
  const bad: [ResolvedScenario['requests'], RegExp][] = [
    [[{ ...req, path: '/{{ id' }], /request "GET \/": a template does not parse/],
    [[{ ...req, json: { a: ['{{ token }}'] } }], /reads "token", which no request captures/],
    [[{ ...req, capture: [{ regex: '(', as: 'x' }] }], /capture "x" has an invalid regex/],
    [[{ ...req, capture: [{ json: '$.a[', as: 'x' }] }], /capture "x" has an invalid JSONPath/],
    [[{ ...req, checks: [{ on: 'header', target: 'x-id', op: 'equals', value: '{{ token }}' }] }], /reads "token", which no request captures/],
    [[{ ...req, checks: [{ on: 'body', target: '', op: 'notContains', value: '{{ vu' }] }], /a template does not parse/],
  ];
  for (const [requests, message] of bad) {
    const r = refusal(withRequests(requests));
    assert.equal(r.code, 'PLAN_INVALID');
    assert.match(r.message, message);
  }
});

test("redirect hops on an agent go only where both the scenario's allowHosts and the agent's --allow-hosts allow, metadata only by the agent's list", () => {
  const hops = (fromScenario: string[] | undefined, agent: string[] | undefined): string[] | undefined => {
    const http = { ...SCENARIO.http, ...(fromScenario && { allowHosts: fromScenario }) };
    const checked = checkPlan(plan({ ...SCENARIO, http }), { ...LIMITS, ...(agent && { allowHosts: [...agent, '127.0.0.1'] }) });
    assert.ok(checked.ok);
    return checked.scenario.http.allowHosts;
  };
  assert.equal(hops(undefined, undefined), undefined, 'no list: any host but a metadata address');
  assert.deepEqual(hops(['127.0.0.1', METADATA_HOSTS[0]!], undefined), ['127.0.0.1'], "the scenario's list gives no metadata pass on an agent");
  assert.deepEqual(hops(undefined, ['api.invalid']), ['api.invalid', '127.0.0.1']);
  assert.deepEqual(hops(['127.0.0.1', 'other.invalid', METADATA_HOSTS[0]!], [METADATA_HOSTS[0]!]), ['127.0.0.1', METADATA_HOSTS[0]!]);
});

/** Each dot-separated label with its first letter in upper case: the same host name in another spelling. */
function titleCase(host: string): string {
  return host.replace(/(^|\.)([a-z])/g, (_m, dot: string, c: string) => dot + c.toUpperCase());
}
