/**
 * End to end, distributed: every phase has a deadline. A real controller and
 * fake agents over the real protocol that go deaf during the clock sync or
 * never send their end of run; a real agent killed mid-run is named in every
 * summary format.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';
import { FakeAgent, fakeSnapshot } from './helpers/fake-agent.js';

const scenario = (url: string, extra: Record<string, unknown> = {}) => ({
  name: 'dl',
  target: url,
  executor: 'constant-arrival-rate',
  rate: 50,
  duration: '1s',
  gracefulStop: '0s',
  requests: [{ name: 'r', path: '/r' }],
  ...extra,
});

async function controllerFor(extra: Record<string, unknown> = {}, args: string[] = [], agents = 1) {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'd.json', scenario('http://127.0.0.1:9', extra));
  const out = join(dir, 'r.json');
  const ctl = await startController(['run', file, '--agents', String(agents), '--quiet', '--out', out, ...args], 30_000);
  return { ctl, out };
}

/** Answer the plan with ready, then stop answering pings: the controller's clock sync gets no pong. */
async function deafAfterPlan(url: string): Promise<FakeAgent> {
  const agent = await FakeAgent.connect(url);
  const plan = await agent.next('plan', true);
  agent.autoPong = false;
  agent.send({ v: 1, type: 'ready', runId: plan.runId });
  return agent;
}

test('an agent that goes silent during the clock sync: exit 107 within seconds, a message, no start sent', { timeout: 45_000 }, async () => {
  const { ctl } = await controllerFor();
  const agent = await deafAfterPlan(ctl.url);
  const began = Date.now();
  const r = await ctl.result;
  assert.equal(r.code, 107, r.stderr);
  assert.ok(Date.now() - began < 8000, `ended after ${Date.now() - began} ms`);
  assert.match(r.stderr, /novaload: agent fake \(agent-1\) was lost during the clock sync, before the start: silent for 3 s; no request was sent/);
  assert.doesNotMatch(r.stderr, /s into the run/);
  assert.ok(!agent.received.some((m) => m.type === 'start'), 'no start was sent');
});

test('an agent that keeps talking but never answers the clock-sync pings: dropped at the 5 s clock-sync deadline, exit 107', { timeout: 45_000 }, async () => {
  const { ctl } = await controllerFor();
  const agent = await deafAfterPlan(ctl.url);
  // Its own pings keep it from looking silent; only the clock-sync deadline can end the wait.
  let id = 0;
  const chatter = setInterval(() => agent.send({ v: 1, type: 'ping', id: id++, t: Date.now() }), 300);
  try {
    const r = await ctl.result;
    assert.equal(r.code, 107, r.stderr);
    assert.match(r.stderr, /was lost during the clock sync, before the start: no answer to the clock-sync pings within 5 s; no request was sent/);
    assert.ok(!agent.received.some((m) => m.type === 'start'));
    assert.match((await agent.whenClosed()).reason, /no answer to the clock-sync pings within 5 s/);
  } finally {
    clearInterval(chatter);
  }
});

test('SIGINT during the clock sync: exit 105 at once, nothing sent', { timeout: 45_000 }, async () => {
  const { ctl } = await controllerFor();
  const agent = await deafAfterPlan(ctl.url);
  await agent.next('ping');
  const began = Date.now();
  ctl.child.kill('SIGINT');
  const r = await ctl.result;
  assert.equal(r.code, 105, r.stderr);
  assert.ok(Date.now() - began < 2000, `ended after ${Date.now() - began} ms`);
  assert.match(r.stderr, /interrupted \(SIGINT\) before the start; no request was sent/);
  assert.ok(!agent.received.some((m) => m.type === 'start'));
});

test('an agent that heartbeats but never sends done: lost at plan + gracefulStop + 3 s, report written with what it sent, exit 111', { timeout: 45_000 }, async () => {
  const { ctl, out } = await controllerFor();
  const agent = await FakeAgent.connect(ctl.url);
  const { plan } = await agent.join();
  agent.snapshot(plan.runId, fakeSnapshot(0, 0, 0, { r: { latenciesUs: [1000, 2000, 3000] } }));
  const r = await ctl.result;
  assert.equal(r.code, 111, r.stderr);
  assert.match(r.stderr, /agent fake \(agent-1\) lost \d+\.\d s into the run: no end of run within 4 s of the start \(plan 1 s \+ gracefulStop 0 s \+ 3 s\)/);
  const report = JSON.parse(await readFile(out, 'utf8'));
  assert.equal(report.totals.requests, 3, 'what it sent before counts');
  assert.equal(report.agents[0].status, 'lost');
  assert.ok(report.agents[0].lostAtSeconds >= 3.9 && report.agents[0].lostAtSeconds < 6, `lost at ${report.agents[0].lostAtSeconds} s`);
  assert.match(r.stdout, /LOST: 1 of 1 agent\(s\) lost: fake at \d+(\.\d)? s into the run \(3 requests reported before\)/);
  assert.match((await agent.whenClosed()).reason, /no end of run within 4 s/);
});

test('SIGINT while an agent hangs: the run ends within gracefulStop + 1 s, report written, exit 105', { timeout: 45_000 }, async () => {
  const { ctl, out } = await controllerFor({ duration: '30s', gracefulStop: '500ms' });
  const agent = await FakeAgent.connect(ctl.url);
  const { plan } = await agent.join();
  agent.snapshot(plan.runId, fakeSnapshot(0, 0, 0, { r: { latenciesUs: [1000, 1000] } }));
  await ctl.stderrIncludes(' start at ');
  const began = Date.now();
  ctl.child.kill('SIGINT');
  await agent.next('stop', true);
  const r = await ctl.result;
  const took = Date.now() - began;
  assert.equal(r.code, 105, r.stderr);
  assert.ok(took < 3000, `ended ${took} ms after SIGINT (gracefulStop 0.5 s + 1 s)`);
  assert.match(r.stderr, /lost \d+\.\d s into the run: no end of run within 1\.5 s of the stop \(gracefulStop 0\.5 s \+ 1 s\)/);
  const report = JSON.parse(await readFile(out, 'utf8'));
  assert.equal(report.interrupted, true);
  assert.equal(report.totals.requests, 2);
  assert.equal(report.agents[0].status, 'lost');
  assert.ok(report.agents[0].lostAtSeconds < 5, `lost at ${report.agents[0].lostAtSeconds} s`);
});

test('a real agent killed mid-run: the text, markdown and JUnit summaries name it and when it was lost', { timeout: 45_000 }, async () => {
  const server = await startServer(() => ({ delayMs: 2 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', scenario(server.url, { rate: 100, duration: '3s' }));
    const [md, junit] = [join(dir, 'r.md'), join(dir, 'r.xml')];
    const ctl = await startController(['run', file, '--agents', '2', '--quiet', '--markdown', md, '--junit', junit], 30_000);
    const agents = ['a', 'b'].map((name) => startAgent(ctl.url, ['--name', name, '--once']));
    await server.waitFor(60);
    agents[1]!.child.kill('SIGKILL');
    const r = await ctl.result;
    assert.equal(r.code, 111, r.stderr);
    const sentence = /1 of 2 agent\(s\) lost: b at (\d+(?:\.\d)?) s into the run \(\d+ requests reported before\); figures cover what arrived/;
    const seconds = Number(sentence.exec(r.stdout)?.[1]);
    assert.ok(seconds > 0 && seconds < 3, `text: ${r.stdout}`);
    assert.match(r.stdout, /Verdict: PASS\nLOST: /);
    assert.match(await readFile(md, 'utf8'), new RegExp(`> \\*\\*Agents lost\\.\\*\\* ${sentence.source}`));
    const xml = await readFile(junit, 'utf8');
    assert.match(xml, /<property name="agents.lost" value="1"\/>/);
    assert.match(xml, new RegExp(`<system-err>LOST: ${sentence.source}`));
    await agents[0]!.result;
  } finally {
    await server.close();
  }
});
