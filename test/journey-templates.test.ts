/**
 * End to end: templates and captures against a loopback journey API (the
 * real CLI, real threads and agents). Counts in the report must equal what
 * the API saw; a request that needs a missing value is never sent; a secret
 * from --env reaches the server and no output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startJourneyApi } from './helpers/journey-api.js';
import { ROOT, runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

interface Endpoint {
  name: string;
  totals: { requests: number; ok: number; failed: number; skipped: number };
  errors: Record<string, number>;
  captureMisses?: Record<string, number>;
}

const byName = (report: { endpoints: Endpoint[] }): Record<string, Endpoint> => Object.fromEntries(report.endpoints.map((e) => [e.name, e]));

/** scenarios/examples/login-crud.json: login per VU, create an item, read it back by the captured id; `password` replaces its password. */
async function crud(target: string, password?: string): Promise<Record<string, unknown>> {
  const example = JSON.parse(await readFile(join(ROOT, 'scenarios/examples/login-crud.json'), 'utf8')) as { requests: { json?: Record<string, unknown> }[] };
  if (password !== undefined) example.requests[0]!.json!.password = password;
  const { $schema: _schema, ...rest } = example as Record<string, unknown>;
  return { ...rest, target };
}

test('examples/login-crud.json: create then read by the captured id: every count equals the API\'s, nothing unauthorised', async () => {
  const api = await startJourneyApi();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'crud.json', await crud(api.url));
    const r = await runCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const ep = byName(report);
    assert.ok(api.counts.logins > 10, `only ${api.counts.logins} logins`);
    assert.equal(ep.login.totals.ok, api.counts.logins);
    assert.equal(ep.create.totals.ok, api.counts.creates);
    assert.equal(ep.read.totals.ok, api.counts.reads);
    assert.equal(api.counts.unauthorized, 0);
    assert.equal(api.counts.failedLogins, 0);
    assert.equal(report.totals.failed, 0);
    assert.equal(report.totals.skipped, 0);
    // Each VU logs in as its own user: the tokens it sends carry its user name.
    assert.deepEqual(new Set(api.counts.authorizations.map((a) => /^Bearer tok-(user\d+)-/.exec(a)?.[1])), new Set(['user1', 'user2']));
  } finally {
    await api.close();
  }
});

test('header, regex and cookie captures: the session cookie is the token, the id comes by regex, the location header rides along', async () => {
  const api = await startJourneyApi();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'captures.json', {
      name: 'captures',
      target: api.url,
      executor: 'constant-vus',
      vus: 2,
      duration: '1s',
      flow: 'sequence',
      requests: [
        { name: 'login', method: 'POST', path: '/login', json: { user: 'u{{ vu }}', password: 'pw-u{{ vu }}' }, capture: [{ cookie: 'session', as: 'session' }] },
        {
          name: 'create',
          method: 'POST',
          path: '/items',
          headers: { authorization: 'Bearer {{ session }}' },
          json: { name: 'n' },
          capture: [{ regex: '"id":(\\d+)', as: 'rid' }, { header: 'Location', as: 'loc' }],
        },
        { name: 'read', path: '/items/{{ rid }}?from={{ loc }}', headers: { authorization: 'Bearer {{ session }}' } },
      ],
    });
    const r = await runCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const ep = byName(report);
    assert.ok(api.counts.reads > 10, `only ${api.counts.reads} reads`);
    assert.equal(ep.read.totals.ok, api.counts.reads);
    assert.equal(ep.create.totals.ok, api.counts.creates);
    assert.equal(api.counts.unauthorized, 0);
    for (const url of api.counts.readUrls) assert.match(url, /^\/items\/(\d+)\?from=\/items\/\1$/);
  } finally {
    await api.close();
  }
});

test('a capture that finds nothing is CAPTURE_MISSING, named in the report; the requests that need it are skipped and never sent', async () => {
  const api = await startJourneyApi();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'crud.json', await crud(api.url, 'wrong'));
    const r = await runCli(['run', file, '--threads', '2', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 99, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const ep = byName(report);
    assert.ok(api.counts.logins > 10, `only ${api.counts.logins} logins`);
    assert.equal(api.counts.failedLogins, api.counts.logins);
    assert.equal(ep.login.totals.requests, api.counts.logins);
    assert.deepEqual(ep.login.errors, { CAPTURE_MISSING: api.counts.logins });
    assert.deepEqual(ep.login.captureMisses, { token: api.counts.logins });
    // Never sent: the API saw no create, no read, and no request without a token.
    assert.equal(api.counts.creates + api.counts.reads + api.counts.unauthorized, 0);
    assert.deepEqual(api.counts.authorizations, []);
    assert.equal(ep.create.totals.requests + ep.read.totals.requests, 0);
    assert.equal(ep.create.totals.skipped, api.counts.logins);
    assert.equal(ep.read.totals.skipped, api.counts.logins);
    assert.equal(report.totals.skipped, 2 * api.counts.logins);
    assert.match(r.stdout, /CAPTURE_MISSING/);
    assert.match(r.stdout, /not sent/);
  } finally {
    await api.close();
  }
});

test('a secret from --env is sent as the bearer token and appears in no output, log or report file', async () => {
  const secret = 'sEcReT-7f3a9c-do-not-print';
  const api = await startJourneyApi({ secret });
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'secret.json', {
      name: 'secret',
      target: api.url,
      executor: 'constant-vus',
      vus: 2,
      duration: '1s',
      http: { headers: { authorization: 'Bearer {{ env.NOVALOAD_TEST_API_TOKEN }}' } },
      requests: [{ name: 'secret', path: '/secret' }],
      thresholds: { 'latency.p99': { warning: '<1ms' } },
    });
    const outs = ['--out', 'r.json', '--csv', 'r.csv', '--html', 'r.html', '--junit', 'r.xml', '--markdown', 'r.md', '--hdr-log', 'r.hlog'].map((a) => (a.startsWith('r.') ? join(dir, a) : a));
    const r = await runCli(['run', file, '--threads', '2', '--env', `NOVALOAD_TEST_API_TOKEN=${secret}`, ...outs]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.ok(api.counts.secretOk > 10);
    assert.equal(report.totals.ok, api.counts.secretOk);
    assert.equal(api.counts.unauthorized, 0);
    const files = await readdir(dir);
    assert.ok(files.length >= 7, files.join(', '));
    for (const f of files) assert.ok(!(await readFile(join(dir, f), 'utf8')).includes(secret), `${f} holds the secret`);
    assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
    // Without it, the same file is refused before anything is sent, naming the variable, not a value.
    const before = api.counts.secretOk;
    const missing = await runCli(['run', file, '--threads', '1', '--quiet']);
    assert.equal(missing.code, 104);
    assert.match(missing.stderr, /\$\.http\.headers\.authorization: env variable NOVALOAD_TEST_API_TOKEN is not set/);
    assert.equal(api.counts.secretOk, before);
  } finally {
    await api.close();
  }
});

test('validate reports undefined names, an unset env variable and bad syntax at once, each at its path (104)', async () => {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'bad.json', {
    target: 'http://127.0.0.1:9',
    executor: 'constant-vus',
    vus: 1,
    duration: '1s',
    requests: [
      { name: 'a', path: '/a/{{ tokn }}', capture: [{ json: '$.token', as: 'token' }, { regex: 'no-group', as: 'g' }] },
      { name: 'b', path: '/b', headers: { authorization: 'Bearer {{ env.NOVALOAD_UNSET_VAR }}' }, json: { n: '{{ randomInt(1) }}', ok: '{{ env.NOVALOAD_UNSET_VAR ?? "x" }}' }, capture: [{ json: '$.items[', as: 'first' }] },
      { name: 'c', path: '/c', body: 'x={{ token', capture: [{ json: 'token', as: 'vu' }] },
    ],
  });
  const r = await runCli(['validate', file]);
  assert.equal(r.code, 104, r.stdout + r.stderr);
  const expected = [
    /\$\.requests\[0\]\.path: undefined name "tokn"/,
    /\$\.requests\[0\]\.capture\[1\]\.regex: the regex has no group/,
    /\$\.requests\[1\]\.headers\.authorization: env variable NOVALOAD_UNSET_VAR is not set/,
    /\$\.requests\[1\]\.json\.n: randomInt\(\) takes 2 argument\(s\), not 1/,
    /\$\.requests\[2\]\.body: template: "\{\{" at 2 is not closed by "\}\}"/,
    /\$\.requests\[2\]\.capture\[0\]\.as: "vu" is a built-in name/,
    /\$\.requests\[1\]\.capture\[0\]\.json: JSONPath "\$\.items\[" has an unclosed "\["/,
    /\$\.requests\[2\]\.capture\[0\]\.json: JSONPath "token" does not start with "\$"/,
  ];
  for (const line of expected) assert.match(r.stderr, line);
  assert.doesNotMatch(r.stderr, /json\.ok/);
  // --env supplies the variable: those problems go, the others stay.
  const withEnv = await runCli(['validate', file, '--env', 'NOVALOAD_UNSET_VAR=v']);
  assert.equal(withEnv.code, 104);
  assert.doesNotMatch(withEnv.stderr, /NOVALOAD_UNSET_VAR/);
  assert.match(withEnv.stderr, /undefined name "tokn"/);
});

/** A VU's number and iteration in every request's query. */
function whoami(target: string, vus: number) {
  return {
    name: 'whoami',
    target,
    executor: 'constant-vus',
    vus,
    duration: '1s',
    thinkTime: '20ms',
    requests: [{ name: 'who', path: '/whoami?vu={{ vu }}&iteration={{ iteration }}' }],
  };
}

/** Every VU 1..vus was seen, and each VU's iterations are 0, 1, 2 … once each. */
function assertVusUnique(seen: { vu: number; iteration: number }[], vus: number): void {
  const byVu = new Map<number, number[]>();
  for (const s of seen) byVu.set(s.vu, [...(byVu.get(s.vu) ?? []), s.iteration]);
  assert.deepEqual([...byVu.keys()].sort((a, b) => a - b), Array.from({ length: vus }, (_, i) => i + 1));
  for (const [vu, its] of byVu) assert.deepEqual([...its].sort((a, b) => a - b), its.map((_, i) => i), `VU ${vu} iterations ${its.join(',')}`);
}

test('vu is 1-based and unique across 2 threads; iteration counts each VU\'s iterations from 0', async () => {
  const api = await startJourneyApi();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'who.json', whoami(api.url, 4));
    const r = await runCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.totals.ok, api.counts.whoami.length);
    assertVusUnique(api.counts.whoami, 4);
  } finally {
    await api.close();
  }
});

test('vu is unique across 2 remote agents, and env values travel in the plan (the agents do not have them)', async () => {
  const api = await startJourneyApi({ secret: 'agent-secret-1234' });
  try {
    const dir = await tempDir();
    const scenario = whoami(api.url, 4);
    const file = await writeScenario(dir, 'who.json', {
      ...scenario,
      flow: 'sequence',
      requests: [...scenario.requests, { name: 'secret', path: '/secret', headers: { authorization: 'Bearer {{ env.AGENT_SECRET }}' } }],
    });
    const controller = await startController(['run', file, '--agents', '2', '--quiet', '--out', join(dir, 'r.json'), '--env', 'AGENT_SECRET=agent-secret-1234']);
    const agents = [startAgent(controller.url, ['--once']), startAgent(controller.url, ['--once'])];
    const r = await controller.result;
    await Promise.all(agents.map((a) => a.result));
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const ep = byName(report);
    assert.equal(ep.who.totals.ok, api.counts.whoami.length);
    assert.equal(ep.secret.totals.ok, api.counts.secretOk);
    assert.equal(api.counts.unauthorized, 0);
    assertVusUnique(api.counts.whoami, 4);
  } finally {
    await api.close();
  }
});
