/**
 * End to end: requests sent again after the server closed a kept-alive
 * connection (agent resend.ts) are counted, so the report plus its resends
 * is exactly what the server received; every report format says so; and
 * http.resendOnStaleConnection: false turns the resend into ECONNRESET errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { closeAfterOne, dropAfter, rawServer } from './helpers/hostile.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

/** The fields of report JSON v1 these tests read. */
interface Report {
  totals: { requests: number; ok: number; failed: number; resent: number };
  errors: Record<string, number>;
  endpoints: { name: string; totals: { requests: number; resent: number } }[];
}

/** 4 VUs for 1.5 s of GETs on `target`, with `http` settings. */
function scenario(target: string, http: Record<string, unknown> = {}) {
  return {
    name: 'resend',
    target,
    executor: 'constant-vus',
    vus: 4,
    duration: '1.5s',
    gracefulStop: '2s',
    requests: [{ name: 'home', path: '/' }],
    http: { timeout: '1s', ...http },
  };
}

/** Run `sc` on one thread, writing every report format into a temp dir; exit code 0 expected. */
async function run(sc: ReturnType<typeof scenario>): Promise<{ report: Report; dir: string; stdout: string }> {
  const dir = await tempDir();
  const file = await writeScenario(dir, 'resend.json', sc);
  const outputs = ['--out', join(dir, 'r.json'), '--html', join(dir, 'r.html'), '--markdown', join(dir, 'r.md'), '--junit', join(dir, 'r.xml'), '--csv', join(dir, 'r.csv')];
  const r = await runCli(['run', file, '--threads', '1', '--quiet', ...outputs], { timeoutMs: 30_000 });
  assert.equal(r.code, 0, r.stderr);
  return { report: JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as Report, dir, stdout: r.stdout };
}

test('a server that drops a kept-alive connection after reading a request: every resend counted, requests + resent = what the server saw', { timeout: 30_000 }, async () => {
  const dropping = dropAfter(9);
  const server = await rawServer(dropping.act);
  try {
    const { report, dir, stdout } = await run(scenario(server.url));
    assert.ok(dropping.dropped() >= 10, `${dropping.dropped()} connections dropped`);
    assert.equal(report.totals.failed, 0, JSON.stringify(report.errors));
    assert.equal(report.totals.resent, dropping.dropped(), 'one resend per dropped request');
    assert.equal(report.totals.requests + report.totals.resent, server.requests, 'requests + resent = requests the server received');
    assert.equal(report.endpoints[0].totals.resent, report.totals.resent, 'per request too');
    const line = `${report.totals.resent} requests were sent again after the server closed a kept-alive connection`;
    assert.ok(stdout.includes(line), `text report:\n${stdout}`);
    for (const f of ['r.html', 'r.md', 'r.xml']) assert.ok((await readFile(join(dir, f), 'utf8')).includes(line), `${f} has the resend line`);
    assert.match(await readFile(join(dir, 'r.xml'), 'utf8'), new RegExp(`<property name="resent" value="${report.totals.resent}"/>`));
    const [header, all] = (await readFile(join(dir, 'r.csv'), 'utf8')).trim().split('\n').filter((l, i, a) => i === 0 || i === a.length - 1);
    assert.equal(all.split(',')[header.split(',').indexOf('resent')], String(report.totals.resent), 'CSV (all) row');
  } finally {
    await server.close();
  }
});

test('http.resendOnStaleConnection false: no resend, each dropped request is an ECONNRESET error', { timeout: 30_000 }, async () => {
  const dropping = dropAfter(9);
  const server = await rawServer(dropping.act);
  try {
    const { report, stdout } = await run(scenario(server.url, { resendOnStaleConnection: false }));
    assert.ok(dropping.dropped() >= 10, `${dropping.dropped()} connections dropped`);
    assert.equal(report.totals.resent, 0);
    assert.deepEqual(report.errors, { ECONNRESET: dropping.dropped() });
    assert.equal(report.totals.requests, server.requests, 'every request sent once');
    assert.ok(!stdout.includes('sent again'), 'no resend line');
  } finally {
    await server.close();
  }
});

test('a server that closes every connection after one response: the requests written as it closed are resent and counted', { timeout: 30_000 }, async () => {
  const closing = closeAfterOne();
  const server = await rawServer(closing.act);
  try {
    const { report } = await run(scenario(server.url));
    assert.equal(report.totals.failed, 0, JSON.stringify(report.errors));
    assert.equal(report.totals.ok, closing.answered());
    assert.equal(report.totals.requests + report.totals.resent, server.requests, 'requests + resent = requests the server received');
  } finally {
    await server.close();
  }
});
