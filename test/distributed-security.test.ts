/**
 * End to end, distributed security: wss with a pinned CA, an agent that does
 * not trust the controller's certificate, and the rule that a controller
 * listening off loopback needs a token.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

const scenario = (url: string) => ({ name: 'tls', target: url, executor: 'constant-arrival-rate', rate: 50, duration: '1s', requests: [{ path: '/' }] });

function selfSigned(dir: string): { cert: string; key: string } | null {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    return { cert, key };
  } catch {
    return null;
  }
}

test('wss: an agent pinning the controller CA runs the load; one that does not trust it never joins (107)', async (t) => {
  const dir = await tempDir();
  const pem = selfSigned(dir);
  if (!pem) return t.skip('openssl is not installed here, so no certificate can be made for the wss test');
  const server = await startServer();
  try {
    const file = await writeScenario(dir, 'd.json', scenario(server.url));
    const ctl = await startController(['run', file, '--agents', '1', '--tls-cert', pem.cert, '--tls-key', pem.key, '--quiet']);
    assert.match(ctl.url, /^wss:\/\//);
    const agent = startAgent(ctl.url, ['--ca', pem.cert, '--once']);
    const r = await ctl.result;
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await agent.result).code, 0);
    assert.equal(server.seen.length, 50);

    const ctl2 = await startController(['run', file, '--agents', '1', '--tls-cert', pem.cert, '--tls-key', pem.key, '--agent-timeout', '3s', '--quiet']);
    const untrusting = startAgent(ctl2.url);
    await untrusting.stderrIncludes('cannot reach');
    const r2 = await ctl2.result;
    assert.equal(r2.code, 107);
    assert.match(untrusting.stderr(), /SELF_SIGNED|self.signed|certificate/i);
    assert.equal(server.seen.length, 50, 'the untrusting agent sent nothing');
    untrusting.child.kill('SIGINT');
    await untrusting.result;
  } finally {
    await server.close();
  }
});

test('listening off loopback without a token is invalid input (104) and binds nothing', async () => {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'd.json', scenario('http://127.0.0.1:9'));
  const r = await runCli(['run', file, '--agents', '1', '--listen', '0.0.0.0:0']);
  assert.equal(r.code, 104);
  assert.match(r.stderr, /--listen 0\.0\.0\.0:0 is off loopback: a token is required/);
  const bad = await runCli(['run', file, '--agents', '1', '--listen', 'nonsense']);
  assert.equal(bad.code, 104);
  assert.match(bad.stderr, /--listen "nonsense" is not host:port/);
});
