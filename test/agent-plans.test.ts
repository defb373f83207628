/**
 * End to end, a real `novaload agent` against a fake controller that sends
 * it bad plans: each is answered with an error naming the problem, the agent
 * stays up with a small footprint, and then runs a good plan exactly. Also:
 * a token no HTTP header can carry, and metadata spellings on the
 * controller's own validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MAX_RUNS, type ResolvedScenario } from '@novaload/agent';
import { FakeController } from './helpers/fake-controller.js';
import { startServer } from './helpers/servers.js';
import { runCli, startCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent } from './helpers/distributed.js';

const scenario = (target: string, executor: ResolvedScenario['executor']): ResolvedScenario => ({
  name: 'agent-plans',
  target,
  executor,
  gracefulStopMs: 1000,
  thinkTime: null,
  flow: 'random',
  requests: [{ name: 'root', method: 'GET', path: '/', headers: {}, body: null, weight: 1, expectStatus: null }],
  http: { timeoutMs: 5000, connectTimeoutMs: 2000, headers: {}, connections: 'per-vu', pipelining: 1 },
  thresholds: {},
});

const plan = (runId: string, s: ResolvedScenario) => ({ v: 1, type: 'plan', runId, scenario: s, shares: [0], totalShares: 1, seed: 7 });

/** Resident set of a process, MB, from /proc (Linux). */
function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

test('an agent refuses bad plans with an error naming the problem, stays up and small, then runs a good plan exactly', { timeout: 30_000 }, async () => {
  const server = await startServer();
  const ctl = await FakeController.start();
  const agent = startAgent(ctl.url, [], 30_000);
  try {
    await ctl.accept();
    const bad: [string, ResolvedScenario, RegExp, string][] = [
      ['not-a-url', scenario('not a url', { type: 'constant-vus', vus: 1, durationMs: 500 }), /target "not a url" is not an absolute URL/, 'PLAN_INVALID'],
      ['ten-million', scenario(server.url, { type: 'constant-vus', vus: 10_000_000, durationMs: 500 }), /need about \d+ file descriptors \(10000000 connections at the peak\)/, 'PLAN_TOO_LARGE'],
      [
        'pooled-ten-million',
        { ...scenario(server.url, { type: 'constant-vus', vus: 10_000_000, durationMs: 500 }), http: { ...scenario('', { type: 'constant-vus', vus: 1, durationMs: 1 }).http, connections: 4 } },
        /need about 156378 MB of memory \(10000000 VUs at 16 KB each/,
        'PLAN_TOO_LARGE',
      ],
      [
        'metadata',
        { ...scenario('http://[::ffff:169.254.169.254]', { type: 'constant-vus', vus: 1, durationMs: 500 }), http: { ...scenario('', { type: 'constant-vus', vus: 1, durationMs: 1 }).http, allowMetadata: true } },
        /target host ::ffff:a9fe:a9fe is a cloud metadata address; an agent loads it only when started with --allow-hosts/,
        'TARGET_NOT_ALLOWED',
      ],
    ];
    for (const [runId, s, message, code] of bad) {
      ctl.send(plan(runId, s));
      const reply = await ctl.next('error');
      assert.equal(reply.runId, runId);
      assert.equal(reply.code, code, runId);
      assert.match(String(reply.message), message, runId);
    }
    assert.equal(agent.child.exitCode, null, 'the agent is still running');
    const rss = rssMb(agent.child.pid!);
    assert.ok(rss < 400, `agent RSS ${rss.toFixed(0)} MB after the refusals`);
    assert.equal(server.seen.length, 0, 'nothing was sent for a refused plan');

    // The same session then runs a good plan: 20 arrivals in one second.
    ctl.send(plan('good', scenario(server.url, { type: 'constant-arrival-rate', rate: 20, durationMs: 1000, maxVUs: 4, maxQueue: 20, arrivalWindowMs: 2 })));
    await ctl.next('ready');
    ctl.send({ v: 1, type: 'start', runId: 'good', startAt: Date.now() + 200 });
    const done = await ctl.next('done');
    const snapshots = ctl.received.filter((m) => m.type === 'snapshot' && m.runId === 'good');
    type Snap = { endpoints: Partial<Record<string, { requests: number }>> };
    const reported = snapshots.reduce((sum, m) => sum + ((m.snapshot as Snap).endpoints.root?.requests ?? 0), 0);
    assert.equal(server.seen.length, 20);
    assert.equal(reported, server.seen.length, 'requests in the snapshots = requests the server saw');
    assert.equal((done.results as { share: number }[])[0]!.share, 0);
    assert.match(agent.stderr(), /refused plan not-a-url: target "not a url"/);
  } finally {
    agent.child.kill('SIGINT');
    await agent.result;
    await ctl.close();
    await server.close();
  }
});

test('a token no HTTP header can carry is invalid input (104) with a message, on the agent and the controller', async () => {
  const agent = await runCli(['agent', '--controller', 'ws://127.0.0.1:9', '--token', 'a\nb']);
  assert.equal(agent.code, 104, agent.stderr);
  assert.match(agent.stderr, /--token holds "\\n" at character 2: a token is sent in an HTTP header, which allows printable ASCII only/);
  assert.doesNotMatch(agent.stderr, /internal error|at .*\.js:\d+/);
  const fromEnv = await runCli(['agent', '--controller', 'ws://127.0.0.1:9'], { env: { NOVALOAD_TOKEN: 'secret\n' } });
  assert.equal(fromEnv.code, 104);
  assert.match(fromEnv.stderr, /NOVALOAD_TOKEN holds "\\n" at character 7/);
  const dir = await tempDir();
  const file = await writeScenario(dir, 't.json', { target: 'http://127.0.0.1:9', executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ path: '/' }] });
  const ctl = startCli(['run', file, '--agents', '1', '--listen', '127.0.0.1:0', '--token', ' padded']);
  const r = await ctl.result;
  assert.equal(r.code, 104);
  assert.match(r.stderr, /--token begins or ends with a space/);
});

test('novaload validate refuses a metadata target in any spelling (104)', async () => {
  const dir = await tempDir();
  for (const host of ['[::ffff:169.254.169.254]', '[0:0:0:0:0:ffff:a9fe:a9fe]', '0251.0376.0251.0376']) {
    const file = await writeScenario(dir, 'm.json', { target: `http://${host}`, executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ path: '/' }] });
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 104, host);
    assert.match(r.stderr, /is a cloud metadata address, refused by default/, host);
  }
});

test('an agent holds several runs at once (a run file\'s workloads): up to MAX_RUNS plans, a stopped plan frees its room, and two runs started together share its one thread', { timeout: 30_000 }, async () => {
  const server = await startServer();
  const ctl = await FakeController.start();
  const agent = startAgent(ctl.url, [], 30_000);
  try {
    await ctl.accept();
    const open = (path: string): ResolvedScenario => ({
      ...scenario(server.url, { type: 'constant-arrival-rate', rate: 20, durationMs: 1000, maxVUs: 4, maxQueue: 20, arrivalWindowMs: 2 }),
      requests: [{ name: 'root', method: 'GET', path, headers: {}, body: null, weight: 1, expectStatus: null }],
    });
    for (let k = 0; k < MAX_RUNS; k++) {
      ctl.send(plan(`p${k}`, open(`/p${k}`)));
      assert.equal((await ctl.next('ready')).runId, `p${k}`);
    }
    ctl.send(plan('one-too-many', open('/x')));
    const busy = await ctl.next('error');
    assert.equal(busy.code, 'AGENT_BUSY');
    assert.match(String(busy.message), new RegExp(`${MAX_RUNS} runs are in progress on this agent, and it holds at most ${MAX_RUNS} at once`));
    ctl.send({ v: 1, type: 'stop', runId: 'p0' });
    ctl.send(plan('again', open('/again')));
    assert.equal((await ctl.next('ready')).runId, 'again', 'a plan stopped before its start no longer holds room');
    const startAt = Date.now() + 300;
    for (const runId of ['p1', 'p2']) ctl.send({ v: 1, type: 'start', runId, startAt });
    const done = [await ctl.next('done'), await ctl.next('done')].map((m) => m.runId).sort();
    assert.deepEqual(done, ['p1', 'p2']);
    const at = (path: string): number[] => server.seen.filter((s) => s.url === path).map((s) => s.at);
    assert.equal(at('/p1').length, 20);
    assert.equal(at('/p2').length, 20);
    // Together, not one after the other: both began within the same few ms and each ran its own second.
    assert.ok(Math.abs(Math.min(...at('/p1')) - Math.min(...at('/p2'))) < 100, 'p1 and p2 started together');
    assert.ok(Math.max(...at('/p2')) - Math.min(...at('/p1')) < 1500, 'p2 did not wait for p1 to end');
    assert.equal(server.seen.filter((s) => !['/p1', '/p2'].includes(s.url)).length, 0, 'runs that were not started sent nothing');
  } finally {
    agent.child.kill('SIGINT');
    await agent.result;
    await ctl.close();
    await server.close();
  }
});
