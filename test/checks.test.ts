/**
 * End to end: response checks against a loopback login API that answers a
 * wrong password with 200 and `{"error": "login failed"}`. The CHECK_JSON
 * failures counted must be what the server answered wrongly, the errorRate
 * gate must catch them (exit 99), and `checks` / `checks{request=…}` must
 * be judged on the pass rate of the checks the report lists.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type Seen } from './helpers/servers.js';
import { ROOT, runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

/** A login that checks the password and, like many real APIs, says "failed" with a 200. */
function login(req: Seen): { status: number; body: string; headers: Record<string, string> } {
  const { user, password } = JSON.parse(req.body) as { user: string; password: string };
  const body = password === 'right' ? { token: `t-${user}`, name: user } : { error: 'login failed' };
  return { status: 200, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

/** The shipped example: good and bad logins, each checked three ways, with gates on errors and on checks. */
const EXAMPLE = join(ROOT, 'scenarios/examples/login-checks.json');

/** The server's right and wrong answers, and the report's checks against them. */
function assertChecksMatch(report: { totals: { requests: number; checks: unknown }; errors: unknown; checks: unknown; endpoints: { name: string; errors: unknown }[] }, seen: Seen[]): { right: number; wrong: number } {
  const wrong = seen.filter((s) => JSON.parse(s.body).password !== 'right').length;
  const right = seen.length - wrong;
  assert.ok(wrong > 0 && right > 0, `server saw ${right} right and ${wrong} wrong logins`);
  assert.equal(report.totals.requests, seen.length);
  assert.deepEqual(report.errors, { CHECK_JSON: wrong });
  assert.deepEqual(report.endpoints.find((e) => e.name === 'bad')!.errors, { CHECK_JSON: wrong });
  assert.deepEqual(report.endpoints.find((e) => e.name === 'good')!.errors, {});
  assert.deepEqual(report.checks, [
    { request: 'good', check: 'json $.token exists', passes: right, fails: 0 },
    { request: 'good', check: 'body notContains "login failed"', passes: right, fails: 0 },
    { request: 'good', check: 'header content-type matches "json"', passes: right, fails: 0 },
    { request: 'bad', check: 'json $.token exists', passes: 0, fails: wrong },
    { request: 'bad', check: 'body notContains "login failed"', passes: 0, fails: wrong },
    { request: 'bad', check: 'header content-type matches "json"', passes: wrong, fails: 0 },
  ]);
  assert.deepEqual(report.totals.checks, { passes: 3 * right + wrong, fails: 2 * wrong });
  return { right, wrong };
}

test('examples/login-checks.json: a 200 that says "login failed" is a CHECK_JSON failure: counts equal the server\'s, errorRate gate exits 99, checks thresholds judged', async () => {
  const server = await startServer(login);
  try {
    const dir = await tempDir();
    const r = await runCli(['run', EXAMPLE, '--target', server.url, '--duration', '1s', '--threads', '2', '--quiet', '--out', join(dir, 'r.json'), '--csv', join(dir, 'r.csv'), '--markdown', join(dir, 'r.md')]);
    assert.equal(r.code, 99, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const { right, wrong } = assertChecksMatch(report, server.seen);
    const judged = Object.fromEntries(report.thresholds.map((t: { metric: string; ok: boolean; value: number }) => [t.metric, t]));
    assert.equal(judged.errorRate.ok, false);
    assert.equal(judged.checks.ok, false);
    assert.ok(Math.abs(judged.checks.value - ((3 * right + wrong) / (3 * right + 3 * wrong)) * 100) < 1e-9);
    assert.deepEqual([judged['checks{request=good}'].value, judged['checks{request=good}'].ok], [100, true]);
    assert.ok(Math.abs(judged['checks{request=bad}'].value - 100 / 3) < 1e-9);
    assert.match(r.stdout, /Checks: \d+ of \d+ checks passed/);
    const csv = await readFile(join(dir, 'r.checks.csv'), 'utf8');
    assert.equal(csv.split('\n')[4], `bad,json $.token exists,0,${wrong}`);
    assert.match(await readFile(join(dir, 'r.md'), 'utf8'), /### Checks/);
    const again = await runCli(['report', join(dir, 'r.json'), '--format', 'csv', '--out', join(dir, 'again.csv')]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(await readFile(join(dir, 'again.checks.csv'), 'utf8'), csv);
  } finally {
    await server.close();
  }
});

test('on 2 remote agents the checks run there and their counts reach the report exactly', { timeout: 60_000 }, async () => {
  const server = await startServer(login);
  try {
    const dir = await tempDir();
    const ctl = await startController(['run', EXAMPLE, '--target', server.url, '--duration', '1s', '--agents', '2', '--quiet', '--out', join(dir, 'r.json')]);
    const agents = ['a', 'b'].map((name) => startAgent(ctl.url, ['--name', name, '--once']));
    const r = await ctl.result;
    assert.equal(r.code, 99, r.stderr);
    assert.deepEqual(await Promise.all(agents.map((a) => a.result.then((x) => x.code))), [0, 0]);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assertChecksMatch(report, server.seen);
    assert.deepEqual(report.agents.map((a: { status: string }) => a.status), ['ok', 'ok']);
  } finally {
    await server.close();
  }
});

test('validate reports every bad check at once with its JSON path: a bad JSONPath, a bad regex, an undefined name in a check value, a bad header name (104)', async () => {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'bad-checks.json', {
    target: 'http://127.0.0.1:1',
    executor: 'constant-vus',
    vus: 1,
    duration: '1s',
    requests: [
      { path: '/', expect: { json: { 'token': { exists: true }, '$.a[': { exists: true }, '$.n': { matches: '(' }, '$.name': { equals: 'item-{{ nope }}' } }, headers: { 'bad name': { exists: true } } } },
      { name: 'plain', path: '/plain' },
    ],
    thresholds: { 'checks{request=plain}': '>99%' },
  });
  const r = await runCli(['validate', file]);
  assert.equal(r.code, 104, r.stderr);
  assert.match(r.stderr, /\$\.requests\[0\]\.expect\.json\.token: JSONPath "token" does not start with "\$"/);
  assert.match(r.stderr, /\$\.requests\[0\]\.expect\.json\["\$\.a\["\]: JSONPath "\$\.a\[" has an unclosed "\["/);
  assert.match(r.stderr, /\$\.requests\[0\]\.expect\.json\["\$\.n"\]\.matches: "\(" is not a regular expression/);
  assert.match(r.stderr, /\$\.requests\[0\]\.expect\.json\["\$\.name"\]\.equals: undefined name "nope"/);
  assert.match(r.stderr, /\$\.requests\[0\]\.expect\.headers\["bad name"\]: "bad name" is not a valid header name/);
  assert.match(r.stderr, /\$\.thresholds\["checks\{request=plain\}"\]: request "plain" has no checks to judge/);
});
