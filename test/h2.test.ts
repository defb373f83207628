/**
 * End to end over HTTP/2: `http.version` picks the protocol by ALPN against
 * loopback TLS servers with a certificate made at test time, the report's
 * protocols match what the server counted, and closed models (think time,
 * one connection per VU) and open models (a pool of connections, streams
 * bounded per connection, latency from the schedule) behave as over HTTP/1.1.
 * Scenarios trust the test CA with http.tls.ca (remote agents get its PEM in the plan).
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli, startCli, tempDir, writeScenario } from './helpers/cli.js';
import { startController } from './helpers/distributed.js';
import { makeCert, NO_OPENSSL, startH2Server, type H2Server, type Speaks, type TestCert } from './helpers/h2-server.js';

let dir: string;
let cert: TestCert;

before(async () => {
  dir = await tempDir();
  if (!NO_OPENSSL) cert = await makeCert();
});

/** Run `scenario` against a fresh server that speaks `speaks`; the server's counts, the exit code, stdout and the JSON report. */
async function runAgainst(speaks: Speaks, scenario: Record<string, unknown>, delayMs = 0, threads = 1) {
  const server: H2Server = await startH2Server(cert, speaks, delayMs);
  try {
    const name = `s${Math.random().toString(36).slice(2)}`;
    const http = { ...(scenario.http as Record<string, unknown> | undefined), tls: { ca: cert.caFile } };
    const file = await writeScenario(dir, `${name}.json`, { name, target: server.url, requests: [{ name: 'get', path: '/x' }], ...scenario, http });
    const out = join(dir, `${name}.report.json`);
    const r = await runCli(['run', file, '--threads', String(threads), '--out', out], { timeoutMs: 20_000 });
    const report = JSON.parse(await readFile(out, 'utf8'));
    return { server, r, report };
  } finally {
    await server.close();
  }
}

const closed = { executor: 'constant-vus', vus: 2, duration: '600ms' };

test('version "2": every request is an h2 stream, the server counts as many as the report, protocols.h2 equal', { skip: NO_OPENSSL }, async () => {
  // The server speaks h2 only: setup goes over h2 as well, outside the load's figures.
  const { server, r, report } = await runAgainst('h2', { ...closed, setup: { requests: [{ name: 'hello', path: '/hello' }] }, http: { version: '2' } }, 0, 2);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(report.totals.requests > 10, `only ${report.totals.requests} requests`);
  assert.equal(report.setup[0].ok, true, JSON.stringify(report.setup));
  assert.equal(server.h2, report.totals.requests + 1);
  assert.equal(server.h1, 0);
  assert.deepEqual(report.totals.protocols, { h1: 0, h2: report.totals.requests });
  assert.deepEqual(report.endpoints[0].totals.protocols, { h1: 0, h2: report.totals.requests });
  assert.ok(r.stdout.includes(`Protocols: HTTP/1.1 0, HTTP/2 ${report.totals.requests}`), r.stdout);
  // Closed model: one connection per VU, as over HTTP/1.1, and one for the setup.
  assert.equal(server.connections, 3);
});

test('version "1.1" keeps HTTP/1.1 against a server that offers h2', { skip: NO_OPENSSL }, async () => {
  const { server, r, report } = await runAgainst('h2+h1', { ...closed, http: { version: '1.1' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(server.h2, 0);
  assert.equal(server.h1, report.totals.requests);
  assert.deepEqual(report.totals.protocols, { h1: report.totals.requests, h2: 0 });
});

test('"auto" picks h2 where it is offered and HTTP/1.1 from a server without it; "2" refuses that server with H2_NOT_NEGOTIATED', { skip: NO_OPENSSL }, async () => {
  const offered = await runAgainst('h2+h1', { ...closed, http: { version: 'auto' } });
  assert.equal(offered.server.h1, 0);
  assert.deepEqual(offered.report.totals.protocols, { h1: 0, h2: offered.server.h2 });
  const h1only = await runAgainst('h1', { ...closed, http: { version: 'auto' } });
  assert.equal(h1only.r.code, 0, h1only.r.stderr);
  assert.equal(h1only.server.h1, h1only.report.totals.requests);
  assert.deepEqual(h1only.report.totals.protocols, { h1: h1only.report.totals.requests, h2: 0 });
  const refused = await runAgainst('h1', { ...closed, http: { version: '2' } });
  assert.equal(refused.server.h1 + refused.server.h2, 0, 'no request may be written on the HTTP/1.1 connection');
  assert.ok(refused.report.totals.requests > 0);
  assert.deepEqual(refused.report.errors, { H2_NOT_NEGOTIATED: refused.report.totals.requests });
  assert.deepEqual(refused.report.totals.protocols, { h1: 0, h2: 0 });
});

test('"2" on an http:// target is refused before anything is sent (exit 104), naming http.version', async () => {
  const file = await writeScenario(dir, 'h2c.json', { target: 'http://127.0.0.1:9', ...closed, requests: [{ path: '/' }], http: { version: '2' } });
  const r = await runCli(['validate', file]);
  assert.equal(r.code, 104, r.stderr);
  assert.match(r.stderr, /http\.version.*"2" needs an https:\/\/ target.*h2c/s);
});

test('closed model over h2 with think time: each VU waits on its own connection, requests bounded by the think time', { skip: NO_OPENSSL }, async () => {
  const { server, r, report } = await runAgainst('h2', { executor: 'ramping-vus', startVUs: 2, stages: [{ duration: '1s', target: 2 }], thinkTime: '200ms', http: { version: '2' } }, 20);
  assert.equal(r.code, 0, r.stderr);
  // 2 VUs, each at most one request per 220 ms (20 ms server + 200 ms think) in 1 s: 5 each, 4 at least on a slow machine.
  assert.ok(report.totals.requests >= 6 && report.totals.requests <= 10, `${report.totals.requests} requests`);
  assert.equal(server.h2, report.totals.requests);
  assert.equal(server.connections, 2);
  assert.equal(server.maxStreams, 1);
  assert.ok(report.latency.p50 >= 20, `p50 ${report.latency.p50} ms below the server's 20 ms`);
});

test('open model over h2: 2 connections × 10 streams, no more on the wire; latency counts from the schedule while requests queue', { skip: NO_OPENSSL }, async () => {
  const { server, r, report } = await runAgainst(
    'h2',
    { executor: 'constant-arrival-rate', rate: 300, duration: '1s', maxVUs: 400, http: { version: '2', connections: 2, maxConcurrentStreams: 10 } },
    100,
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(report.totals.requests, 300);
  assert.equal(report.totals.dropped, 0);
  assert.equal(server.h2, 300);
  assert.deepEqual(report.totals.protocols, { h1: 0, h2: 300 });
  assert.ok(server.connections <= 2, `${server.connections} connections`);
  assert.equal(server.maxStreams, 10);
  // 20 streams of 100 ms serve 200/s: arrivals at 300/s queue, and the last wait ~0.5 s before they are sent.
  assert.ok(report.serviceTime.p50 >= 100 && report.serviceTime.p50 < 250, `serviceTime p50 ${report.serviceTime.p50} ms`);
  assert.ok(report.latency.p99 >= report.serviceTime.p99 + 250, `latency p99 ${report.latency.p99} ms, serviceTime p99 ${report.serviceTime.p99} ms`);
});

test('distributed ramping-arrival-rate over h2: two agents get the version in their plans, and their snapshots sum to the server\'s h2 count', { skip: NO_OPENSSL }, async () => {
  const server = await startH2Server(cert, 'h2');
  try {
    const file = await writeScenario(dir, 'dist.json', {
      target: server.url,
      executor: 'ramping-arrival-rate',
      startRate: 50,
      stages: [{ duration: '1s', target: 150 }],
      maxVUs: 20,
      requests: [{ path: '/d' }],
      http: { version: '2', connections: 2, maxConcurrentStreams: 5, tls: { ca: cert.caFile } },
    });
    const out = join(dir, 'dist.report.json');
    const ctl = await startController(['run', file, '--agents', '2', '--quiet', '--out', out], 20_000);
    const agents = ['a', 'b'].map((name) => startCli(['agent', '--controller', ctl.url, '--threads', '1', '--name', name, '--once'], { timeoutMs: 20_000 }));
    const r = await ctl.result;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await Promise.all(agents.map((a) => a.result.then((x) => x.code))), [0, 0]);
    const report = JSON.parse(await readFile(out, 'utf8'));
    // 50/s rising to 150/s over 1 s: ~100 arrivals, all sent (none dropped), every one an h2 stream.
    assert.ok(report.totals.requests >= 90 && report.totals.requests <= 110, `${report.totals.requests} requests`);
    assert.equal(report.totals.dropped, 0);
    assert.equal(server.h2, report.totals.requests);
    assert.deepEqual(report.totals.protocols, { h1: 0, h2: report.totals.requests });
    assert.ok(server.connections <= 2, `${server.connections} connections: each agent's share of a pool of 2 is 1`);
  } finally {
    await server.close();
  }
});
