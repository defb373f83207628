/**
 * Across hosts, as far as one machine can show it: the controller (with a
 * counting target beside it) and two agents each run in a network namespace
 * of their own, i.e. separate network stacks joined only by veth links to a
 * bridge on a private test range. The controller listens off loopback (so a
 * token is required; the agents take it from NOVALOAD_TOKEN), the agents
 * reach it and the target only over those links, and the report's totals and
 * per-agent requests equal what the target counted from each agent's address.
 * Where namespaces cannot be made (not root, no `ip`, refused by the kernel or
 * the container), the test skips and says exactly why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, tempDir, writeScenario } from './helpers/cli.js';

const exec = promisify(execFile);
const NET = '10.213.7';
const CTL_IP = `${NET}.1`;
const TARGET_PORT = 8080;
const LISTEN = `${CTL_IP}:7878`;
/** Namespace name → its address on the bridge (the controller's namespace holds the bridge). */
const CTL_NS = `nl-ctl-${process.pid}`;
const AGENTS = [
  { name: 'a1', ns: `nl-a1-${process.pid}`, ip: `${NET}.2` },
  { name: 'a2', ns: `nl-a2-${process.pid}`, ip: `${NET}.3` },
];
const ALL_NS = [CTL_NS, ...AGENTS.map((a) => a.ns)];
const TOKEN = `netns-${randomBytes(12).toString('hex')}`;
const RATE = 200;
const SECONDS = 2;

/** A counting HTTP target (run with `node -e`): per client address, requests and first/last arrival (epoch ms). Prints the counts when its stdin closes. */
const TARGET = `
const seen = {};
const server = require('node:http').createServer((req, res) => {
  const now = performance.timeOrigin + performance.now();
  const e = (seen[req.socket.remoteAddress] ??= { requests: 0, first: now, last: now });
  e.requests++; e.last = now;
  req.resume(); req.on('end', () => res.end('ok'));
});
server.listen(Number(process.argv[2]), process.argv[1], () => process.stdout.write('listening\\n'));
process.stdin.on('end', () => { process.stdout.write(JSON.stringify(seen) + '\\n'); process.exit(0); });
process.stdin.resume();`;

/** Run `ip …`; a failure carries the command and what ip printed. */
async function ip(...args: string[]): Promise<void> {
  try {
    await exec('ip', args, { timeout: 5000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`"ip ${args.join(' ')}" failed: ${(e.stderr || e.message).trim()}`);
  }
}

/** Why this machine cannot make network namespaces, or null when it can try. */
async function unavailable(): Promise<string | null> {
  const uid = process.getuid?.();
  if (uid !== 0) return `not root (uid ${uid ?? 'unknown'}): creating network namespaces needs root`;
  try {
    await exec('ip', ['-V']);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return e.code === 'ENOENT' ? 'no "ip" command (iproute2 is not installed: apt-get install -y iproute2)' : `"ip -V" failed: ${e.message}`;
  }
  return null;
}

/** Remove this process's namespaces (leftovers of an earlier run with the same pid, or ours). */
async function removeNamespaces(): Promise<void> {
  for (const ns of ALL_NS) await ip('netns', 'del', ns).catch(() => undefined);
}

/** Namespaces, a bridge in the controller's one, and a veth link from each agent's namespace to it. */
async function createNetwork(): Promise<void> {
  for (const ns of ALL_NS) {
    await ip('netns', 'add', ns);
    await ip('-n', ns, 'link', 'set', 'lo', 'up');
  }
  await ip('-n', CTL_NS, 'link', 'add', 'br0', 'type', 'bridge');
  await ip('-n', CTL_NS, 'addr', 'add', `${CTL_IP}/24`, 'dev', 'br0');
  await ip('-n', CTL_NS, 'link', 'set', 'br0', 'up');
  for (const [i, a] of AGENTS.entries()) {
    await ip('-n', CTL_NS, 'link', 'add', `veth${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', a.ns);
    await ip('-n', CTL_NS, 'link', 'set', `veth${i}`, 'master', 'br0', 'up');
    await ip('-n', a.ns, 'addr', 'add', `${a.ip}/24`, 'dev', 'eth0');
    await ip('-n', a.ns, 'link', 'set', 'eth0', 'up');
  }
}

interface NsProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout or stderr contains `text`; rejects if the process ends first. */
  printed(text: string): Promise<void>;
  exit: Promise<number | null>;
}

/** `ip netns exec <ns> node <args>`, killed after 25 s at the latest. */
function nodeIn(ns: string, args: string[], env: Record<string, string> = {}): NsProcess {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d));
  child.stderr.on('data', (d: Buffer) => (err += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), 25_000);
  const exit = new Promise<number | null>((resolve) => child.on('close', (code) => (clearTimeout(killer), resolve(code))));
  const printed = (text: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => void ((out + err).includes(text) && resolve());
      child.stdout.on('data', check);
      child.stderr.on('data', check);
      check();
      void exit.then((code) => reject(new Error(`${ns}: exited ${code} before printing "${text}":\n${out}${err}`)));
    });
  return { child, stdout: () => out, stderr: () => err, printed, exit };
}

test('controller and two agents in separate network namespaces: totals equal what the target counted from each agent', { timeout: 30_000 }, async (t) => {
  const why = await unavailable();
  if (why) return t.skip(why);
  const procs: NsProcess[] = [];
  await removeNamespaces();
  try {
    const t0 = performance.now();
    try {
      await createNetwork();
    } catch (err) {
      return t.skip(`cannot make the test's network namespaces here: ${(err as Error).message}`);
    }
    const setupMs = performance.now() - t0;
    const target = nodeIn(CTL_NS, ['-e', TARGET, CTL_IP, String(TARGET_PORT)]);
    procs.push(target);
    await target.printed('listening');

    const dir = await tempDir();
    const out = join(dir, 'r.json');
    const file = await writeScenario(dir, 'netns.json', {
      name: 'netns',
      target: `http://${CTL_IP}:${TARGET_PORT}`,
      executor: 'constant-arrival-rate',
      rate: RATE,
      duration: `${SECONDS}s`,
      requests: [{ name: 'r', path: '/r' }],
    });
    const runStart = performance.now();
    const ctl = nodeIn(CTL_NS, [BIN, 'run', file, '--agents', '2', '--listen', LISTEN, '--token', TOKEN, '--agent-timeout', '15s', '--quiet', '--out', out]);
    procs.push(ctl);
    await ctl.printed(`waiting for 2 agent(s) on ws://${LISTEN}`);
    const agentArgs = (name: string) => [BIN, 'agent', '--controller', `ws://${LISTEN}`, '--threads', '1', '--name', name, '--allow-hosts', CTL_IP, '--once'];
    const agents = AGENTS.map((a) => nodeIn(a.ns, agentArgs(a.name), { NOVALOAD_TOKEN: TOKEN }));
    procs.push(...agents);

    const code = await ctl.exit;
    const runMs = performance.now() - runStart;
    assert.equal(code, 0, ctl.stderr());
    assert.deepEqual(await Promise.all(agents.map((a) => a.exit)), [0, 0], agents.map((a) => a.stderr()).join('\n'));
    target.child.stdin!.end();
    await target.exit;
    const seen = JSON.parse(target.stdout().split('\n')[1]!) as Record<string, { requests: number; first: number; last: number }>;
    const report = JSON.parse(await readFile(out, 'utf8'));

    assert.deepEqual(Object.keys(seen).sort(), AGENTS.map((a) => a.ip), 'requests came only from the agents\' namespaces');
    const counted = Object.values(seen).reduce((n, s) => n + s.requests, 0);
    assert.equal(counted, RATE * SECONDS);
    assert.equal(report.totals.requests, counted);
    assert.equal(report.agents.length, 2);
    for (const a of AGENTS) {
      const listed = report.agents.find((r: { name: string }) => r.name === a.name);
      assert.ok(listed, `agent ${a.name} is in the report`);
      assert.equal(listed.status, 'ok');
      assert.equal(listed.requests, seen[a.ip]!.requests, `${a.name}'s requests equal what the target counted from ${a.ip}`);
    }
    assert.doesNotMatch(ctl.stdout() + ctl.stderr() + agents.map((a) => a.stderr()).join(''), new RegExp(TOKEN));

    const startAt = Number(/start at (\d+(?:\.\d+)?)/.exec(ctl.stderr())?.[1]);
    const firsts = AGENTS.map((a) => seen[a.ip]!.first - startAt);
    t.diagnostic(`setup ${setupMs.toFixed(0)} ms; controller start to exit ${runMs.toFixed(0)} ms; ${counted} requests (${AGENTS.map((a) => `${a.name} ${seen[a.ip]!.requests}`).join(', ')})`);
    t.diagnostic(`start instant to first request: ${AGENTS.map((a, i) => `${a.name} ${firsts[i]!.toFixed(1)} ms`).join(', ')}; spread ${Math.abs(firsts[0]! - firsts[1]!).toFixed(1)} ms`);
  } finally {
    for (const p of procs) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exit));
    await removeNamespaces();
  }
});
