/**
 * End to end: request phases and connections opened, from the real CLI
 * against loopback servers whose time goes to one known phase. A server
 * that waits shows in `wait`, a slow body in `receive`, a server that closes
 * every connection in connect (and TLS) on every request, keep-alive in
 * connect and TLS on the first request of each connection only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PhasesReport, Report } from '@novaload/report';
import { PHASES } from '@novaload/report';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';
import { makeCertificates, startPhaseServer } from './helpers/phase-servers.js';

/** The phase with the largest mean share. */
const largest = (phases: PhasesReport): string => [...PHASES].sort((a, b) => phases[b].share - phases[a].share)[0]!;

async function run(target: string, extra: Record<string, unknown>): Promise<{ code: number | null; report: Report; stdout: string; stderr: string }> {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'phases.json', { name: 'phases', target, executor: 'constant-vus', vus: 2, duration: '1s', ...extra });
  const out = join(dir, 'r.json');
  const r = await runCli(['run', file, '--threads', '1', '--out', out]);
  return { code: r.code, report: JSON.parse(await readFile(out, 'utf8')) as Report, stdout: r.stdout, stderr: r.stderr };
}

test('keep-alive: a 30 ms server is time waiting, a 40 ms body time receiving; dns and connect only on each VU\'s first request', { timeout: 30_000 }, async () => {
  const server = await startPhaseServer({ waitMs: 30, bodyMs: 40 });
  try {
    // localhost, so each connection has a lookup to time.
    const { code, report, stdout, stderr } = await run(`http://localhost:${server.port}`, {
      flow: 'sequence',
      requests: [
        { name: 'slow-server', method: 'GET', path: '/wait' },
        { name: 'slow-body', method: 'GET', path: '/body' },
      ],
    });
    assert.equal(code, 0, stderr);
    const served = (server.requests.get('/wait') ?? 0) + (server.requests.get('/body') ?? 0);
    assert.equal(report.totals.requests, served);
    assert.ok(served >= 10, `only ${served} requests`);
    assert.equal(report.totals.connectionsOpened, 2, 'one connection per VU, kept alive');
    assert.equal(server.connections(), 2);
    const byName = new Map(report.endpoints.map((e) => [e.name, e]));
    const wait = byName.get('slow-server')!.phases!;
    assert.ok(wait.wait.p50 >= 29.5 && wait.wait.p50 < 36, `wait p50 ${wait.wait.p50} ms against a 30 ms server`);
    assert.equal(largest(wait), 'wait');
    assert.ok(wait.wait.share > 80, `wait share ${wait.wait.share}%`);
    const body = byName.get('slow-body')!.phases!;
    assert.ok(body.receive.p50 >= 39.5 && body.receive.p50 < 47, `receive p50 ${body.receive.p50} ms against a 40 ms body`);
    assert.equal(largest(body), 'receive');
    assert.ok(body.wait.p50 < 10, `the headers came at once: wait p50 ${body.wait.p50} ms`);
    const all = report.phases!;
    assert.equal(all.connect.p50, 0, 'reused connections connect in no time');
    assert.ok(all.connect.max > 0, 'the two new connections did');
    assert.equal(all.dns.p50, 0);
    assert.ok(all.dns.max > 0, 'localhost was looked up');
    assert.equal(all.tlsHandshake.max, 0, 'plain HTTP');
    // 40 ms of body against 30 ms of waiting, over both requests.
    assert.match(stdout, /^Phases: \d+\.\d% receiving the body, \d+\.\d% waiting for the server/m);
    assert.match(stdout, /^Connections opened: 2 for \d+ requests$/m);
  } finally {
    await server.close();
  }
});

test('a server that closes every connection: each request through the pool opens one and has a connect time; connect.p99 gates with exit 99', { timeout: 30_000 }, async () => {
  const server = await startPhaseServer({ close: true });
  try {
    const { code, report, stderr } = await run(server.url, {
      vus: 3,
      requests: [{ name: 'churn', method: 'GET', path: '/' }],
      http: { connections: 2 },
      thresholds: { 'connect.p99': '<1us', 'wait.p50{request=churn}': '<1s' },
    });
    assert.equal(code, 99, stderr);
    const served = server.requests.get('/') ?? 0;
    assert.equal(report.totals.requests, served);
    assert.ok(served >= 10, `only ${served} requests`);
    assert.equal(report.totals.connectionsOpened, served, 'connection: close → one connection per request');
    assert.equal(server.connections(), served);
    assert.ok(report.phases!.connect.min > 0, 'every request carries its own connection\'s connect time');
    assert.equal(report.phases!.dns.max, 0, 'an address literal is not looked up');
    const [connect, wait] = report.thresholds;
    assert.deepEqual([connect!.metric, connect!.ok, wait!.metric, wait!.ok], ['connect.p99', false, 'wait.p50{request=churn}', true]);
    assert.ok(connect!.value! > 0.001);
  } finally {
    await server.close();
  }
});

test('HTTPS: the TLS handshake is timed on the first request of each connection only, and on every request when the server closes them', { timeout: 30_000 }, async () => {
  const certs = await makeCertificates();
  const requests = [{ name: 'secure', method: 'GET', path: '/' }];
  const http = { tls: { ca: certs.caFile } };
  const kept = await startPhaseServer({ tls: certs });
  try {
    const { code, report, stderr } = await run(kept.url, { requests, http });
    assert.equal(code, 0, stderr);
    assert.equal(report.totals.failed, 0, JSON.stringify(report.errors));
    assert.equal(report.totals.connectionsOpened, 2);
    assert.equal(kept.connections(), 2);
    assert.ok(report.totals.requests >= 20, `only ${report.totals.requests} requests`);
    assert.equal(report.phases!.tlsHandshake.p50, 0, 'reused connections have no handshake');
    assert.ok(report.phases!.tlsHandshake.max > 0);
  } finally {
    await kept.close();
  }
  const closing = await startPhaseServer({ tls: certs, close: true });
  try {
    const { code, report, stderr } = await run(closing.url, { requests, http });
    assert.equal(code, 0, stderr);
    assert.equal(report.totals.connectionsOpened, report.totals.requests);
    assert.equal(closing.connections(), report.totals.requests);
    assert.ok(report.phases!.tlsHandshake.min > 0, 'every request opened a connection and shook hands');
    assert.ok(report.phases!.connect.min > 0);
  } finally {
    await closing.close();
  }
});

test('two remote agents: their phases cross the protocol and merge; connectionsOpened sums over agents', { timeout: 30_000 }, async () => {
  const server = await startPhaseServer({ close: true, waitMs: 10 });
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'd.json', { name: 'remote', target: server.url, executor: 'constant-vus', vus: 2, duration: '1s', requests: [{ name: 'r', method: 'GET', path: '/wait' }] });
    const ctl = await startController(['run', file, '--agents', '2', '--quiet', '--out', join(dir, 'r.json')]);
    const agents = ['a', 'b'].map((name) => startAgent(ctl.url, ['--name', name, '--once']));
    const r = await ctl.result;
    assert.equal(r.code, 0, r.stderr);
    await Promise.all(agents.map((a) => a.result));
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report;
    const served = server.requests.get('/wait') ?? 0;
    assert.equal(report.totals.requests, served);
    assert.equal(report.totals.connectionsOpened, served, 'every request opened its own connection, on both agents');
    assert.ok(report.phases!.connect.min > 0);
    assert.ok(report.phases!.wait.p50 >= 9.5, `wait p50 ${report.phases!.wait.p50} ms against a 10 ms server`);
  } finally {
    await server.close();
  }
});
