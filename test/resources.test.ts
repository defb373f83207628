/**
 * End to end: the generator's own limits. A run that needs more file
 * descriptors than the process may open stops before sending anything
 * (exit 104, with the number to raise the limit to, and that number
 * suffices); a run let through anyway reports EMFILE as the generator's
 * error, not the target's. The CLI runs under bash's `ulimit`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';

/** The hard open-file limit of this process (the most a child can be given without root), or 0 off Linux. */
function hardOpenFiles(): number {
  try {
    const m = /^Max open files\s+\S+\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return !m ? 0 : m[1] === 'unlimited' ? Infinity : Number(m[1]);
  } catch {
    return 0;
  }
}

const linuxOnly = process.platform !== 'linux' && 'ulimit and /proc/self/limits';

/** 1,000 VUs, one connection each, for 1 s against `target`. */
const thousandVus = (target: string) => ({
  name: 'thousand',
  target,
  executor: 'constant-vus',
  vus: 1000,
  duration: '1s',
  requests: [{ name: 'home', path: '/' }],
});

test('1,000 VUs under ulimit -n 256: exit 104 before any request, with the limit to ask for, which is enough', { timeout: 60_000, skip: linuxOnly }, async (t) => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'thousand.json', thousandVus(server.url));
    const out = join(dir, 'r.json');
    const refused = await runCli(['run', file, '--threads', '2', '--quiet', '--out', out], { ulimit: '-n 256' });
    assert.equal(refused.code, 104, refused.stderr);
    const m = /needs about (\d+) file descriptors .* may open only 256 .*\n.*"ulimit -n (\d+)"/.exec(refused.stderr);
    assert.ok(m, refused.stderr);
    assert.equal(m[1], m[2]);
    assert.equal(server.seen.length, 0, 'nothing was sent');
    assert.doesNotMatch(refused.stderr, /internal error|at .*\.js/);
    t.diagnostic(refused.stderr.trim());

    const needed = Number(m[1]);
    if (hardOpenFiles() < needed) return t.diagnostic(`hard limit ${hardOpenFiles()} < ${needed}: cannot try the advised limit here`);
    const ran = await runCli(['run', file, '--threads', '2', '--quiet', '--out', out], { ulimit: `-n ${needed}` });
    assert.equal(ran.code, 0, ran.stderr);
    const report = JSON.parse(await readFile(out, 'utf8'));
    assert.deepEqual(report.errors, {}, 'no EMFILE at the advised limit');
    assert.equal(report.totals.ok, server.seen.length);
    assert.equal(new Set(server.seen.map((s) => s.remotePort)).size, 1000, 'all 1,000 VUs held a connection at once');
  } finally {
    await server.close();
  }
});

test("a run file whose two 150-VU workloads overlap under ulimit -n 256: exit 104 before any request, the connections added up; started one after the other it runs", { timeout: 60_000, skip: linuxOnly }, async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const workload = (startTime: string) => ({ executor: 'constant-vus', vus: 150, duration: '500ms', gracefulStop: '500ms', startTime, requests: [{ name: 'home', path: '/' }] });
    // Each alone fits (150 + 96 < 256); together they need 300 connections. The check used to look at each alone.
    const together = await writeScenario(dir, 'together.json', { name: 'together', target: server.url, scenarios: { a: workload('0s'), b: workload('0s') } });
    const refused = await runCli(['run', together, '--threads', '2', '--quiet'], { ulimit: '-n 256' });
    assert.equal(refused.code, 104, refused.stderr);
    assert.match(refused.stderr, /needs about 396 file descriptors \(300 connections at the peak, the run file's workloads that run at once added up, plus 96 for novaload and its 2 thread\(s\)\) but may open only 256/);
    assert.equal(server.seen.length, 0, 'nothing was sent');
    const apart = await writeScenario(dir, 'apart.json', { name: 'apart', target: server.url, scenarios: { a: workload('0s'), b: workload('2s') } });
    // a holds its connections until 1 s (500 ms + gracefulStop), b from 2 s: never both at once.
    const out = join(dir, 'r.json');
    const ran = await runCli(['run', apart, '--threads', '2', '--quiet', '--out', out], { ulimit: '-n 256' });
    assert.equal(ran.code, 0, ran.stderr);
    const report = JSON.parse(await readFile(out, 'utf8'));
    assert.deepEqual(report.errors, {}, 'no EMFILE');
    assert.equal(report.totals.requests, server.seen.length);
  } finally {
    await server.close();
  }
});

test('let through anyway (NOVALOAD_SKIP_FD_CHECK=1), EMFILE is reported as a generator error, not the target\'s', { timeout: 30_000, skip: linuxOnly }, async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'emfile.json', { ...thousandVus(server.url), name: 'emfile', vus: 400 });
    const out = join(dir, 'r.json');
    const r = await runCli(['run', file, '--threads', '1', '--out', out], { ulimit: '-n 256', env: { NOVALOAD_SKIP_FD_CHECK: '1' } });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(await readFile(out, 'utf8'));
    assert.ok(report.errors.EMFILE > 0, JSON.stringify(report.errors));
    assert.deepEqual(Object.keys(report.errors), ['EMFILE']);
    assert.equal(report.generatorErrors, report.errors.EMFILE);
    assert.equal(report.totals.ok, server.seen.length, 'the requests that got a descriptor reached the target and succeeded');
    assert.match(r.stdout, /EMFILE: \d+ \(generator error, not the target\)/);
    assert.match(r.stdout, new RegExp(`WARNING: ${report.errors.EMFILE} failed request\\(s\\) are generator errors`));
  } finally {
    await server.close();
  }
});
