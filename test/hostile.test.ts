/**
 * End to end: the real CLI against hostile loopback targets (helpers/
 * hostile.ts). Each fault must be counted under one stable error kind, the
 * counts must add up with what the target saw, and the run must end within
 * gracefulStop of its plan: a target can fail, never crash or hang the tool.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closeAfterOne, flakyServer, garbage, headersThenStall, hugeBody, rawServer, resetMidBody, silent } from './helpers/hostile.js';
import { closedPort } from './helpers/servers.js';
import { startCli, tempDir, writeScenario, type CliRun } from './helpers/cli.js';

/** Allowance over plan + gracefulStop for start-up, the last snapshot and closing sockets on a loaded CI machine. */
const MARGIN_MS = 1000;

/** The fields of report JSON v1 these tests read. */
interface Report {
  durationMs: number;
  interrupted: boolean;
  totals: { requests: number; ok: number; failed: number; bytesReceived: number };
  errors: Record<string, number>;
}

/** What a run produced: exit code, JSON report, and its planned duration and gracefulStop. */
interface Outcome {
  code: number | null;
  stderr: string;
  report: Report;
  plannedMs: number;
  graceMs: number;
}

/** A scenario of `vus` VUs for `seconds`, one GET, the given gracefulStop and http settings. */
function scenario(target: string, o: { vus?: number; seconds?: number; graceMs?: number; method?: string; http?: Record<string, unknown> } = {}) {
  return {
    name: 'hostile',
    target,
    executor: 'constant-vus',
    vus: o.vus ?? 4,
    duration: `${o.seconds ?? 1.5}s`,
    gracefulStop: `${o.graceMs ?? 1000}ms`,
    requests: [{ name: 'home', method: o.method ?? 'GET', path: '/' }],
    http: { timeout: '300ms', ...o.http },
  };
}

/** Start the CLI on `sc` (one thread, quiet, JSON report). */
async function start(sc: ReturnType<typeof scenario>): Promise<{ run: CliRun; finish: () => Promise<Outcome> }> {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'hostile.json', sc);
  const run = startCli(['run', file, '--threads', '1', '--quiet', '--out', join(dir, 'r.json')], { timeoutMs: 60_000 });
  const finish = async (): Promise<Outcome> => {
    const r = await run.result;
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
    return { code: r.code, stderr: r.stderr, report, plannedMs: parseFloat(sc.duration) * 1000, graceMs: parseInt(sc.gracefulStop, 10) };
  };
  return { run, finish };
}

/** Run `sc` to the end. */
async function run(sc: ReturnType<typeof scenario>): Promise<Outcome> {
  return (await start(sc)).finish();
}

/** The run ended within gracefulStop of its plan; its counts are consistent; its only error kind is one of `kinds`. */
function assertFault(t: TestContext, o: Outcome, kinds: string[]): void {
  const { report } = o;
  const limit = o.plannedMs + o.graceMs + MARGIN_MS;
  assert.ok(report.durationMs <= limit, `ran ${report.durationMs} ms, more than plan ${o.plannedMs} + gracefulStop ${o.graceMs} + ${MARGIN_MS}`);
  assert.equal(report.interrupted, false);
  assert.equal(report.totals.requests, report.totals.ok + report.totals.failed);
  assert.equal(report.totals.failed, Object.values(report.errors).reduce((a, b) => a + b, 0));
  for (const kind of Object.keys(report.errors)) assert.ok(kinds.includes(kind), `unexpected kind ${kind} in ${JSON.stringify(report.errors)}`);
  t.diagnostic(`errors ${JSON.stringify(report.errors)}, ok ${report.totals.ok}, ${report.durationMs} ms (plan ${o.plannedMs} + gracefulStop ${o.graceMs})`);
}

test('connection refused: every request is ECONNREFUSED, the run keeps its plan', { timeout: 30_000 }, async (t) => {
  const o = await run(scenario(`http://127.0.0.1:${await closedPort()}`));
  assertFault(t, o, ['ECONNREFUSED']);
  assert.ok(o.report.errors.ECONNREFUSED > 0);
  assert.equal(o.report.totals.ok, 0);
});

test('accepts and never answers: TIMEOUT after http.timeout; with a long timeout the run still ends at plan + gracefulStop', { timeout: 30_000 }, async (t) => {
  const server = await rawServer(silent);
  try {
    // undici checks its timeouts about twice a second, so 300 ms fire within ~0.8 s: a 2 s gracefulStop lets the last ones land.
    const o = await run(scenario(server.url, { graceMs: 2000 }));
    assertFault(t, o, ['TIMEOUT']);
    assert.ok(o.report.errors.TIMEOUT >= 4, `${o.report.errors.TIMEOUT} timeouts`);
    assert.equal(o.report.totals.requests, server.requests, 'every request the server took was counted');

    const before = server.requests;
    const hung = await run(scenario(server.url, { seconds: 1, graceMs: 500, http: { timeout: '60s' } }));
    assertFault(t, hung, []);
    assert.equal(hung.report.totals.requests, 0, 'requests cut off at gracefulStop are not counted');
    assert.equal(server.requests - before, 4, 'one request per VU, held until gracefulStop ran out');
  } finally {
    await server.close();
  }
});

test('headers, then a body that never ends: TIMEOUT (body timeout), the bytes that came are counted', { timeout: 30_000 }, async (t) => {
  const server = await rawServer(headersThenStall);
  try {
    const o = await run(scenario(server.url, { graceMs: 2000 }));
    assertFault(t, o, ['TIMEOUT']);
    assert.equal(o.report.totals.requests, server.requests);
    assert.equal(o.report.totals.bytesReceived, 10 * server.requests, '10 body bytes per response');
  } finally {
    await server.close();
  }
});

/** Peak resident set (VmHWM) of a process in bytes, or 0 once it is gone. */
async function peakRss(pid: number): Promise<number> {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

test('a 1 GiB body is read to the end and discarded: counted in full, peak RSS far below 1 GiB', { timeout: 30_000, skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const GiB = 1024 ** 3;
  const body = hugeBody(GiB);
  const server = await rawServer(body.act);
  try {
    // One VU, a 1 s plan: the body in flight when the plan ends (the first, or a later one on a fast machine) finishes within gracefulStop.
    const { run: cli, finish } = await start(scenario(server.url, { vus: 1, seconds: 1, graceMs: 20_000, http: { timeout: '10s' } }));
    const pid = cli.child.pid!;
    let peak = 0;
    let afterBody = 0;
    const sample = async (): Promise<void> => void (peak = Math.max(peak, await peakRss(pid)));
    const poll = setInterval(() => void sample(), 100);
    const counted = body.waitForBodies(1).then(async () => {
      await sample();
      afterBody = peak;
    });
    const o = await finish();
    clearInterval(poll);
    await counted;
    assertFault(t, o, []);
    assert.ok(o.report.totals.ok >= 1);
    assert.equal(o.report.totals.bytesReceived, o.report.totals.ok * GiB, 'every body counted in full');
    assert.equal(body.written(), o.report.totals.bytesReceived);
    assert.ok(afterBody > 0, 'sampled after the whole body was sent');
    assert.ok(peak < 400 * 1024 ** 2, `peak RSS ${(peak / 1024 ** 2).toFixed(0)} MiB`);
    t.diagnostic(`peak RSS of the novaload process: ${(peak / 1024 ** 2).toFixed(0)} MiB after ${o.report.totals.ok} body(ies) of ${GiB} bytes`);
  } finally {
    await server.close();
  }
});

test('malformed HTTP (garbage, bad status line, header, chunk size, version): HTTP_PARSE_ERROR', { timeout: 30_000 }, async (t) => {
  const server = await rawServer(garbage);
  try {
    const o = await run(scenario(server.url));
    assertFault(t, o, ['HTTP_PARSE_ERROR']);
    assert.ok(o.report.errors.HTTP_PARSE_ERROR >= 5, 'every kind of garbage was sent');
    assert.equal(o.report.totals.requests, server.requests);
  } finally {
    await server.close();
  }
});

test('connection reset mid-body: ECONNRESET', { timeout: 30_000 }, async (t) => {
  const server = await rawServer(resetMidBody);
  try {
    const o = await run(scenario(server.url));
    assertFault(t, o, ['ECONNRESET']);
    assert.ok(o.report.errors.ECONNRESET > 0);
    assert.equal(o.report.totals.requests, server.requests);
  } finally {
    await server.close();
  }
});

test('a server that closes every keep-alive connection after one response: every request succeeds', { timeout: 30_000 }, async (t) => {
  const closing = closeAfterOne();
  const server = await rawServer(closing.act);
  try {
    const o = await run(scenario(server.url));
    assertFault(t, o, []);
    assert.ok(o.report.totals.ok > 20, `${o.report.totals.ok} ok`);
    assert.equal(o.report.totals.ok, closing.answered(), 'ok equals the responses the server wrote');
    assert.equal(server.connections, closing.answered(), 'one connection per response');
    // Requests written on a connection as the server closed it were never read: sent once more on a new one (not counted twice).
    t.diagnostic(`${server.requests - closing.answered()} requests resent after a stale keep-alive connection`);
  } finally {
    await server.close();
  }
});

test('the same server and POST: not resent (it may have been applied), counted as ECONNRESET', { timeout: 30_000 }, async (t) => {
  const closing = closeAfterOne();
  const server = await rawServer(closing.act);
  try {
    const o = await run(scenario(server.url, { method: 'POST' }));
    assertFault(t, o, ['ECONNRESET']);
    assert.ok(o.report.errors.ECONNRESET > 0);
    assert.equal(o.report.totals.ok, closing.answered());
    assert.equal(o.report.totals.requests, server.requests, 'every request sent once');
  } finally {
    await server.close();
  }
});

test('a target that dies mid-run and comes back on the same port: ECONNREFUSED while down, successes after, counts add up', { timeout: 30_000 }, async (t) => {
  const server = await flakyServer();
  try {
    const { finish } = await start(scenario(server.url, { seconds: 3 }));
    await server.waitForAnswers(100);
    await server.kill();
    // The outage itself: the port stays closed for 300 ms while the VUs keep trying.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.revive();
    await server.waitForAnswers(100);
    const o = await finish();
    // Requests in flight when it died fail as resets; resent (idempotent GET) they meet the closed port.
    assertFault(t, o, ['ECONNREFUSED', 'ECONNRESET']);
    assert.ok(o.report.errors.ECONNREFUSED > 0, 'refused while down');
    assert.equal(o.report.totals.ok, server.answered[0] + server.answered[1], 'every response of both lives was counted as ok');
    assert.ok(server.answered[1] >= 100, 'successes again after it came back');
  } finally {
    await server.close();
  }
});

test('an unresolvable host (.invalid): ENOTFOUND at once, without asking a DNS server', { timeout: 30_000 }, async (t) => {
  const o = await run(scenario('http://nonexistent.invalid/'));
  assertFault(t, o, ['ENOTFOUND', 'EAI_AGAIN']);
  assert.ok(o.report.totals.failed > 0);
  assert.equal(o.report.totals.ok, 0);
});
