/**
 * End to end, names and channels: agents with one --name are told apart in
 * the report, an agent the controller did not need is sent away (exit 0
 * with --once), an agent with --once gives up on a certificate it cannot
 * trust (104), and a controller off loopback without TLS warns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

const scenario = (url: string, duration = '1s') => ({ name: 'peers', target: url, executor: 'constant-arrival-rate', rate: 60, duration, requests: [{ name: 'r', path: '/' }] });

test('three agents named "x" for a run of two: the two are "x" and "x#2" in the report; the third is told it is not needed and exits 0', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const out = join(dir, 'r.json');
    const file = await writeScenario(dir, 'd.json', scenario(server.url, '3s'));
    const ctl = await startController(['run', file, '--agents', '2', '--quiet', '--out', out]);
    const agents = [0, 1, 2].map(() => startAgent(ctl.url, ['--name', 'x', '--once']));
    const r = await ctl.result;
    assert.equal(r.code, 0, r.stderr);
    const results = await Promise.all(agents.map((a) => a.result));
    assert.deepEqual(results.map((x) => x.code), [0, 0, 0], results.map((x) => x.stderr).join('\n---\n'));
    const sentAway = results.filter((x) => /controller closed the connection: not needed: the controller already has the 2 agent\(s\) it waits for/.test(x.stderr));
    assert.equal(sentAway.length, 1, 'exactly one agent was surplus');
    assert.match(r.stderr, /gave the name "x", which another agent has: it is "x#2" in the report/);
    const report = JSON.parse(await readFile(out, 'utf8'));
    assert.deepEqual(report.agents.map((a: { name: string }) => a.name).sort(), ['x', 'x#2']);
    for (const a of report.agents) assert.equal(a.requests, 90, 'arrival k goes to share k mod 2');
    assert.equal(server.seen.length, 180);
  } finally {
    await server.close();
  }
});

test('an agent with --once gives up with 104 on a certificate it cannot trust: unknown CA, or a name the certificate does not carry', async (t) => {
  const dir = await tempDir();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  } catch {
    return t.skip('openssl is not installed here, so no certificate can be made for the wss test');
  }
  const file = await writeScenario(dir, 'd.json', scenario('http://127.0.0.1:9'));
  const ctl = await startController(['run', file, '--agents', '1', '--tls-cert', cert, '--tls-key', key, '--agent-timeout', '20s', '--quiet']);
  try {
    const unknownCa = await startAgent(ctl.url, ['--once']).result;
    assert.equal(unknownCa.code, 104, unknownCa.stderr);
    assert.match(unknownCa.stderr, /DEPTH_ZERO_SELF_SIGNED_CERT: .*the controller's certificate is not trusted: give its CA with --ca/);
    assert.doesNotMatch(unknownCa.stderr, /reconnecting/);
    const wrongName = await startAgent(ctl.url.replace('127.0.0.1', 'localhost'), ['--once', '--ca', cert]).result;
    assert.equal(wrongName.code, 104, wrongName.stderr);
    assert.match(wrongName.stderr, /ERR_TLS_CERT_ALTNAME_INVALID/);
  } finally {
    ctl.child.kill('SIGINT');
    assert.equal((await ctl.result).code, 105);
  }
});

test('listening off loopback without --tls-cert warns that the token and the scenario travel in clear', async () => {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'd.json', scenario('http://127.0.0.1:9'));
  const r = await runCli(['run', file, '--agents', '1', '--listen', '0.0.0.0:0', '--token', 't0ken-value', '--agent-timeout', '1s']);
  assert.equal(r.code, 107, r.stderr);
  assert.match(r.stderr, /warning: --listen 0\.0\.0\.0:0 is off loopback without --tls-cert: the token and the scenario \(headers included\) travel in clear/);
  assert.doesNotMatch(r.stderr, /t0ken-value/);
});
