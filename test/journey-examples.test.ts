/**
 * End to end, the shipped journeys of scenarios/examples/ run in place (their
 * users.csv beside them) against the loopback journey API, on threads and on
 * agents: the report's counts, checks and skipped requests must equal what
 * the API saw, and no request ever goes out without a token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startJourneyApi, type JourneyApi } from './helpers/journey-api.js';
import { ROOT, runCli, tempDir } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

const LOGIN_ITEMS = join(ROOT, 'scenarios/examples/login-items.json');
const LOGIN_ONCE = join(ROOT, 'scenarios/examples/login-once.json');

/** users.csv's accounts: user01@example.test … user20@example.test, password "pw,01" … "pw,20". */
const USERS = Array.from({ length: 20 }, (_, i) => `user${String(i + 1).padStart(2, '0')}@example.test`);
const passwordOf = (user: string): string => `pw,${/^user(\d+)@/.exec(user)?.[1] ?? '?'}`;

interface Endpoint {
  name: string;
  totals: { requests: number; ok: number; failed: number; skipped: number };
  errors: Record<string, number>;
}

const byName = (report: { endpoints: Endpoint[] }): Record<string, Endpoint> => Object.fromEntries(report.endpoints.map((e) => [e.name, e]));

/** The users whose tokens reached the API (tokens are tok-<user>-<n>). */
const tokenUsers = (api: JourneyApi): Set<string> => new Set(api.counts.authorizations.map((a) => /^Bearer tok-(.+)-\d+$/.exec(a)?.[1] ?? `no token: ${a}`));

test('examples/login-items.json: each VU logs in as its own CSV user, creates item-<vu> and reads it back by its id; counts and checks equal the API\'s', async () => {
  const api = await startJourneyApi({ password: passwordOf });
  try {
    const dir = await tempDir();
    const r = await runCli(['run', LOGIN_ITEMS, '--target', api.url, '--duration', '1s', '--threads', '2', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const ep = byName(report);
    assert.ok(api.counts.reads > 10, `only ${api.counts.reads} reads`);
    assert.equal(ep.login!.totals.ok, api.counts.logins);
    assert.equal(ep.create!.totals.ok, api.counts.creates);
    assert.equal(ep.read!.totals.ok, api.counts.reads);
    assert.equal(api.counts.failedLogins + api.counts.unauthorized, 0);
    assert.deepEqual([report.totals.failed, report.totals.skipped], [0, 0]);
    // per-vu: VU n is row n, on whichever thread it runs.
    assert.deepEqual(Object.keys(api.counts.loginsByUser).sort(), USERS.slice(0, 4));
    assert.deepEqual(tokenUsers(api), new Set(USERS.slice(0, 4)));
    // The check values are templates, rendered per VU: every read matched its own VU's item and captured id.
    assert.deepEqual(report.checks, [
      { request: 'login', check: 'json $.token exists', passes: api.counts.logins, fails: 0 },
      { request: 'read', check: 'json $.name equals "item-{{ vu }}"', passes: api.counts.reads, fails: 0 },
      { request: 'read', check: 'json $.id equals "{{ id }}"', passes: api.counts.reads, fails: 0 },
    ]);
  } finally {
    await api.close();
  }
});

test('examples/login-items.json with two wrong passwords: those logins are CHECK_JSON failures, their creates and reads are skipped, none sent without a token', async () => {
  // user03 and user04 (VUs 3 and 4) get 200 {"error": "login failed"} and no token.
  const wrong = new Set(USERS.slice(2, 4));
  const api = await startJourneyApi({ password: (u) => (wrong.has(u) ? 'changed' : passwordOf(u)) });
  try {
    const dir = await tempDir();
    const r = await runCli(['run', LOGIN_ITEMS, '--target', api.url, '--duration', '1s', '--threads', '2', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 99, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const ep = byName(report);
    const failed = api.counts.failedLogins;
    assert.ok(failed > 5 && api.counts.reads > 5, `${failed} failed logins, ${api.counts.reads} reads`);
    assert.equal(failed, (api.counts.loginsByUser[USERS[2]!] ?? 0) + (api.counts.loginsByUser[USERS[3]!] ?? 0));
    assert.equal(ep.login!.totals.requests, api.counts.logins);
    assert.deepEqual(ep.login!.errors, { CHECK_JSON: failed });
    // Never sent: the API saw no request without a valid token, and only the good users' tokens.
    assert.equal(api.counts.unauthorized, 0);
    assert.deepEqual(tokenUsers(api), new Set(USERS.slice(0, 2)));
    assert.deepEqual([ep.create!.totals.requests, ep.create!.totals.skipped], [api.counts.creates, failed]);
    assert.deepEqual([ep.read!.totals.requests, ep.read!.totals.skipped], [api.counts.reads, failed]);
    assert.equal(report.totals.skipped, 2 * failed);
    assert.deepEqual(report.errors, { CHECK_JSON: failed });
    assert.equal(report.checks[0].fails, failed);
    assert.match(r.stdout, /CHECK_JSON/);
  } finally {
    await api.close();
  }
});

/** A login-once.json run's report against the API: each of the 20 users logged in exactly once, and the rows ran out. */
function assertEachUserOnce(report: Record<string, any>, api: JourneyApi): void {
  assert.deepEqual(api.counts.loginsByUser, Object.fromEntries(USERS.map((u) => [u, 1])));
  assert.equal(api.counts.failedLogins, 0);
  assert.deepEqual([report.totals.requests, report.totals.ok, report.totals.failed], [USERS.length, USERS.length, 0]);
  assert.deepEqual(report.checks, [{ request: 'login', check: 'json $.token exists', passes: USERS.length, fails: 0 }]);
  assert.deepEqual([report.data.mode, report.data.rows, report.data.taken, report.data.exhausted], ['sequential', USERS.length, USERS.length, true]);
  assert.ok(report.durationMs < 30_000, `stopped when the rows ran out, after ${report.durationMs} ms of a 1 min plan`);
}

test('examples/login-once.json on 2 threads: each CSV user logs in exactly once, and the run stops when the rows run out (exit 0)', async () => {
  const api = await startJourneyApi({ password: passwordOf });
  try {
    const dir = await tempDir();
    const r = await runCli(['run', LOGIN_ONCE, '--target', api.url, '--threads', '2', '--quiet', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    assertEachUserOnce(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')), api);
  } finally {
    await api.close();
  }
});

test('examples/login-once.json on 2 agents: each CSV user logs in exactly once across them (exit 0)', async () => {
  const api = await startJourneyApi({ password: passwordOf });
  try {
    const dir = await tempDir();
    const ctl = await startController(['run', LOGIN_ONCE, '--target', api.url, '--agents', '2', '--quiet', '--out', join(dir, 'r.json')]);
    const agents = ['a', 'b'].map((name) => startAgent(ctl.url, ['--name', name, '--once']));
    const r = await ctl.result;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await Promise.all(agents.map((a) => a.result.then((x) => x.code))), [0, 0]);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assertEachUserOnce(report, api);
    assert.deepEqual(report.agents.map((a: { requests: number }) => a.requests), [USERS.length / 2, USERS.length / 2], 'row r went to share r mod 2');
  } finally {
    await api.close();
  }
});
