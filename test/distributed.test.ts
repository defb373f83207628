/**
 * End to end, distributed: a controller and real agent processes on
 * loopback. Counts against what the server saw; agent loss, controller loss,
 * authentication, missing agents and protocol violations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { startServer } from './helpers/servers.js';
import { tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

const scenario = (url: string, extra: Record<string, unknown> = {}) => ({
  name: 'dist',
  target: url,
  executor: 'constant-arrival-rate',
  rate: 300,
  duration: '3s',
  requests: [{ name: 'r', path: '/r' }],
  ...extra,
});

test('3 agents: merged totals equal what the server counted; each agent listed with its share, requests and clock offset', async () => {
  const server = await startServer(() => ({ delayMs: 2 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', scenario(server.url));
    const ctl = await startController(['run', file, '--agents', '3', '--quiet', '--out', join(dir, 'r.json')]);
    const agents = ['a', 'b', 'c'].map((name) => startAgent(ctl.url, ['--name', name, '--once']));
    const r = await ctl.result;
    assert.equal(r.code, 0, r.stderr);
    const codes = await Promise.all(agents.map((a) => a.result.then((x) => x.code)));
    assert.deepEqual(codes, [0, 0, 0], 'agents started with --once leave after the run');
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(server.seen.length, 900);
    assert.equal(report.totals.requests, 900);
    assert.equal(report.agents.length, 3);
    assert.deepEqual(report.agents.map((a: { name: string }) => a.name).sort(), ['a', 'b', 'c']);
    assert.equal(report.agents.reduce((n: number, a: { requests: number }) => n + a.requests, 0), 900);
    for (const a of report.agents) {
      assert.equal(a.status, 'ok');
      assert.equal(a.requests, 300, 'arrival k goes to share k mod 3: 300 each');
      assert.ok(Math.abs(a.clockOffsetMs) < 5, `offset ${a.clockOffsetMs} ms on one machine`);
    }
  } finally {
    await server.close();
  }
});

test('kill -9 one agent mid-run: the run completes with the others, the report marks it lost, exit 111', async () => {
  const server = await startServer(() => ({ delayMs: 5 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', scenario(server.url, { duration: '4s' }));
    const ctl = await startController(['run', file, '--agents', '3', '--quiet', '--out', join(dir, 'r.json')]);
    const agents = ['a', 'b', 'c'].map((name) => startAgent(ctl.url, ['--name', name]));
    await server.waitFor(450);
    agents[1]!.child.kill('SIGKILL');
    const r = await ctl.result;
    assert.equal(r.code, 111, r.stderr);
    assert.match(r.stderr, /agent b .*lost/);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    const lost = report.agents.find((a: { name: string }) => a.name === 'b');
    assert.equal(lost.status, 'lost');
    assert.ok(lost.lostAtSeconds > 0.5 && lost.lostAtSeconds < 4, `lost at ${lost.lostAtSeconds} s`);
    assert.ok(lost.requests > 0, 'what it sent before stays in the report');
    for (const a of report.agents.filter((a: { name: string }) => a.name !== 'b')) assert.equal(a.requests, 400);
    assert.ok(report.totals.requests <= server.seen.length);
    for (const a of agents) a.child.kill('SIGKILL');
  } finally {
    await server.close();
  }
});

test('kill the controller: every agent stops its load within 5 s and goes back to waiting', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', scenario(server.url, { rate: 100, duration: '60s' }));
    const ctl = await startController(['run', file, '--agents', '2', '--quiet']);
    const agents = [startAgent(ctl.url), startAgent(ctl.url)];
    await server.waitFor(100);
    ctl.child.kill('SIGKILL');
    await ctl.result;
    await Promise.all(agents.map((a) => a.stderrIncludes('reconnecting')));
    await new Promise((r) => setTimeout(r, 5000));
    const after5s = server.seen.length;
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(server.seen.length, after5s, 'no request from any agent 5 s after the controller died');
    for (const a of agents) {
      assert.equal(a.child.exitCode, null, 'the agent is still there, waiting for a controller');
      a.child.kill('SIGINT');
      assert.equal((await a.result).code, 105);
    }
  } finally {
    await server.close();
  }
});

test('a wrong token is refused before any scenario is sent; the token is never printed', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', scenario(server.url));
    const ctl = await startController(['run', file, '--agents', '1', '--token', 's3cret-right', '--agent-timeout', '10s', '--quiet']);
    const agent = startAgent(ctl.url, ['--token', 's3cret-wrong']);
    const once = startAgent(ctl.url, ['--token', 's3cret-wrong', '--once']);
    assert.equal((await once.result).code, 104, 'an agent for one session gives up on a refused token');
    await agent.stderrIncludes('401');
    ctl.child.kill('SIGINT');
    const r = await ctl.result;
    assert.equal(r.code, 105, 'interrupted while waiting: no agent ever joined');
    assert.match(r.stderr, /missing or wrong token/);
    assert.match(r.stderr, /interrupted while waiting for agents; no request was sent/);
    assert.doesNotMatch(r.stderr + r.stdout + agent.stderr(), /s3cret/);
    assert.equal(server.seen.length, 0);
    agent.child.kill('SIGINT');
    await agent.result;
  } finally {
    await server.close();
  }
});

test('3 agents expected and 2 come: exit 107, nothing sent', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', scenario(server.url));
    const ctl = await startController(['run', file, '--agents', '3', '--agent-timeout', '8s', '--quiet']);
    const agents = [startAgent(ctl.url), startAgent(ctl.url)];
    const r = await ctl.result;
    assert.equal(r.code, 107);
    assert.match(r.stderr, /only 2 of 3 agents connected within 8 s; no request was sent/);
    assert.equal(server.seen.length, 0);
    for (const a of agents) a.child.kill('SIGKILL');
  } finally {
    await server.close();
  }
});

test('an agent refuses a target outside --allow-hosts: exit 104 with how to allow it, nothing sent', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', scenario(server.url));
    const ctl = await startController(['run', file, '--agents', '1', '--quiet']);
    const agent = startAgent(ctl.url, ['--allow-hosts', 'staging.example.invalid', '--once']);
    const r = await ctl.result;
    assert.equal(r.code, 104, r.stderr);
    assert.match(r.stderr, /127\.0\.0\.1 is not in this agent's --allow-hosts .*--allow-hosts staging\.example\.invalid,127\.0\.0\.1/);
    assert.equal(server.seen.length, 0);
    await agent.result;
  } finally {
    await server.close();
  }
});

test('malformed messages close the connection with the reason; the controller prints it', async () => {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'd.json', scenario('http://127.0.0.1:9'));
  const ctl = await startController(['run', file, '--agents', '2', '--agent-timeout', '5s', '--quiet']);
  const closeOf = (messages: unknown[]) =>
    new Promise<{ code: number; reason: string }>((resolve) => {
      const ws = new WebSocket(ctl.url);
      ws.on('open', () => messages.forEach((m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m))));
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  const bad = await closeOf([{ v: 1, type: 'hello', name: 'x', threads: 1 }, { v: 1, type: 'snapshot', runId: 'r' }]);
  assert.equal(bad.code, 4001);
  assert.match(bad.reason, /bad "snapshot" message: .*snapshot/);
  const version = await closeOf([{ v: 2, type: 'hello', name: 'x', threads: 1 }]);
  assert.equal(version.code, 4002);
  assert.match(version.reason, /protocol version 2 is not supported \(this side speaks 1\)/);
  const garbage = await closeOf(['not json']);
  assert.equal(garbage.code, 4001);
  assert.match(garbage.reason, /not JSON/);
  const r = await ctl.result;
  assert.equal(r.code, 107);
  assert.match(r.stderr, /closing the connection to agent .*bad "snapshot" message/);
  assert.match(r.stderr, /protocol version 2 is not supported/);
});

test('SIGINT on the controller stops every agent, writes the report and exits 105', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', scenario(server.url, { rate: 100, duration: '60s' }));
    const ctl = await startController(['run', file, '--agents', '2', '--quiet', '--out', join(dir, 'r.json')]);
    const agents = [startAgent(ctl.url, ['--once']), startAgent(ctl.url, ['--once'])];
    await server.waitFor(100);
    ctl.child.kill('SIGINT');
    const r = await ctl.result;
    assert.equal(r.code, 105, r.stderr);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assert.equal(report.interrupted, true);
    assert.equal(report.totals.requests, server.seen.length);
    assert.ok(report.durationMs < 20_000);
    await Promise.all(agents.map((a) => a.result));
  } finally {
    await server.close();
  }
});
