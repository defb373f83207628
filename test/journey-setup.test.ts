/**
 * End to end: setup and teardown (scenarios/examples/setup-teardown.json)
 * against the loopback journey API. Setup logs in once as the admin with a
 * password from --env and creates a fixture; every VU, on 2 threads or 2
 * agents, reads it with the setup's token; teardown deletes it, also after
 * SIGINT. A failing setup is exit 107 with no load sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startJourneyApi, type JourneyApi } from './helpers/journey-api.js';
import { ROOT, runCli, startCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

const ADMIN_PASSWORD = 'admin-pw-5521';

/** The API with the admin's password. */
const api = (): Promise<JourneyApi> => startJourneyApi({ password: (user) => (user === 'admin' ? ADMIN_PASSWORD : `pw-${user}`) });

/** The shipped example aimed at `target`, with `change` applied. */
async function example(target: string, change: (s: Record<string, unknown>) => void = () => {}): Promise<Record<string, unknown>> {
  const text = JSON.parse(await readFile(join(ROOT, 'scenarios/examples/setup-teardown.json'), 'utf8')) as Record<string, unknown>;
  const { $schema: _schema, ...rest } = text;
  change(rest);
  return { ...rest, target };
}

/** The API saw one admin login, one create, one delete, and every read carried the setup's token. */
function assertOnce(a: JourneyApi, report: { totals: { requests: number; ok: number }; setup: unknown[]; teardown: unknown[] }): void {
  assert.equal(a.counts.logins, 1, 'setup logged in once');
  assert.equal(a.counts.creates, 1, 'setup created one fixture');
  assert.equal(a.counts.deletes, 1, 'teardown deleted it once');
  assert.equal(a.counts.unauthorized, 0);
  assert.ok(a.counts.reads > 0);
  assert.equal(report.totals.ok, a.counts.reads, 'the report counts exactly the reads the API served');
  assert.equal(report.totals.requests, a.counts.reads, 'setup and teardown are outside the load figures');
  assert.deepEqual(new Set(a.counts.authorizations), new Set(['Bearer tok-admin-0']), 'every request carried the setup token');
  assert.deepEqual(new Set(a.counts.readUrls), new Set(['/items/1']));
  assert.deepEqual(report.setup.map((e) => (e as { name: string; status: number; ok: boolean }).name), ['admin login', 'create fixture']);
  assert.deepEqual(report.teardown.map((e) => ({ ...(e as object), ms: 0 })), [{ name: 'delete fixture', status: 204, ms: 0, ok: true }]);
}

test('setup once, VUs on 2 threads use {{ setup.token }} and {{ setup.id }}, teardown once; the report has both sections', async () => {
  const a = await api();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 's.json', await example(a.url));
    const r = await runCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json'), '--env', `ADMIN_PASSWORD=${ADMIN_PASSWORD}`]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assertOnce(a, report);
    assert.equal(report.setup.every((e: { ok: boolean }) => e.ok), true);
    assert.equal(report.setup[1].status, 201);
    assert.match(r.stdout, /Setup \(once, outside the load figures\):\n(?:.*\n){2}\s+admin login\s+200\s+\d+\s+ok/);
    assert.match(r.stdout, /Teardown \(once, outside the load figures\):\n(?:.*\n){2}\s+delete fixture\s+204\s+\d+\s+ok/);
    assert.doesNotMatch(r.stdout + r.stderr + JSON.stringify(report), new RegExp(ADMIN_PASSWORD), 'the admin password appears nowhere');
  } finally {
    await a.close();
  }
});

test('teardown runs after SIGINT mid-run: the fixture is deleted once, exit 105', async () => {
  const a = await api();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 's.json', await example(a.url, (s) => (s.duration = '30s')));
    const cli = startCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json')], { env: { ADMIN_PASSWORD }, timeoutMs: 20_000 });
    await a.whenReads(20);
    cli.signal('SIGINT');
    const r = await cli.result;
    assert.equal(r.code, 105, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.interrupted, true);
    assertOnce(a, report);
  } finally {
    await a.close();
  }
});

test('SIGINT during setup: no load is sent, teardown still deletes the fixture, exit 105', async () => {
  let cli: ReturnType<typeof startCli> | undefined;
  const a = await startJourneyApi({
    password: (user) => (user === 'admin' ? ADMIN_PASSWORD : `pw-${user}`),
    // The admin login is answered only once the controller has taken the signal.
    beforeLogin: async () => {
      cli!.signal('SIGINT');
      await cli!.stderrIncludes('SIGINT: stopping the load');
    },
  });
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 's.json', await example(a.url));
    cli = startCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json')], { env: { ADMIN_PASSWORD }, timeoutMs: 20_000 });
    const r = await cli.result;
    assert.equal(r.code, 105, r.stderr);
    assert.match(r.stderr, /interrupted \(SIGINT\) during setup; no load was sent/);
    assert.equal(a.counts.creates, 1, 'the setup finished its requests');
    assert.equal(a.counts.reads, 0, 'no load request was sent');
    assert.equal(a.counts.deletes, 1, 'teardown deleted what setup created');
  } finally {
    await a.close();
  }
});

test('setup values reach 2 real agents: every read carries the setup token, setup and teardown once', async () => {
  const a = await api();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 's.json', await example(a.url, (s) => (s.vus = 4)));
    const controller = await startController(['run', file, '--agents', '2', '--quiet', '--out', join(dir, 'r.json'), '--env', `ADMIN_PASSWORD=${ADMIN_PASSWORD}`]);
    const agents = ['a', 'b'].map((name) => startAgent(controller.url, ['--name', name, '--once']));
    const r = await controller.result;
    await Promise.all(agents.map((ag) => ag.result));
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.agents.length, 2);
    assertOnce(a, report);
  } finally {
    await a.close();
  }
});

test('a wrong admin password: the setup capture finds no token, exit 107 naming the request and its status, no load request and no teardown', async () => {
  const a = await api();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 's.json', await example(a.url));
    const r = await runCli(['run', file, '--threads', '2', '--quiet', '--out', join(dir, 'r.json'), '--env', 'ADMIN_PASSWORD=wrong-pw-77']);
    assert.equal(r.code, 107, r.stderr);
    assert.match(r.stderr, /setup request "admin login" failed \(status 200, CAPTURE_MISSING\): no load was sent/);
    assert.doesNotMatch(r.stderr, /wrong-pw-77/);
    assert.equal(a.counts.logins, 1);
    assert.equal(a.counts.failedLogins, 1);
    assert.equal(a.counts.creates, 0, 'the later setup request was not sent');
    assert.equal(a.counts.reads + a.counts.unauthorized + a.counts.deletes, 0, 'no load request and no teardown reached the API');
  } finally {
    await a.close();
  }
});

test('validate: setup.X that the setup does not capture, and setup.* without a setup, are 104 at their paths', async () => {
  const dir = await tempDir();
  const file = await writeScenario(dir, 's.json', await example('http://127.0.0.1:9', (s) => {
    (s.requests as { path: string }[])[0]!.path = '/items/{{ setup.itemId }}';
    (s.teardown as { requests: { headers: Record<string, string> }[] }).requests[0]!.headers.authorization = 'Bearer {{ setup.tokn }}';
  }));
  const r = await runCli(['validate', file, '--env', 'ADMIN_PASSWORD=x']);
  assert.equal(r.code, 104, r.stderr);
  assert.match(r.stderr, /\$\.requests\[0\]\.path: setup captures no "itemId" \(it captures: token, id\)/);
  assert.match(r.stderr, /\$\.teardown\.requests\[0\]\.headers\.authorization: setup captures no "tokn"/);
  const none = await writeScenario(dir, 'n.json', await example('http://127.0.0.1:9', (s) => delete s.setup));
  const n = await runCli(['validate', none]);
  assert.equal(n.code, 104, n.stderr);
  assert.match(n.stderr, /\$\.requests\[0\]\.path: "setup\.id" needs a setup, and the scenario has no "setup"/);
  const ok = await runCli(['validate', await writeScenario(dir, 'ok.json', await example('http://127.0.0.1:9')), '--env', 'ADMIN_PASSWORD=x']);
  assert.equal(ok.code, 0, ok.stderr);
});
