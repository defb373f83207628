/**
 * End to end: Ctrl-C as a terminal sends it, to the whole process group of
 * the README's `pnpm exec novaload …`, where the wrappers relay it again.
 * The copies are one request; a deliberate second signal skips gracefulStop;
 * either way the summary is printed, the report written and the exit is 105.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { startServer } from './helpers/servers.js';
import { startCli, tempDir, writeScenario } from './helpers/cli.js';

const long = (url: string, gracefulStop: string) => ({
  name: 'ctrl-c',
  target: url,
  executor: 'constant-vus',
  vus: 2,
  duration: '60s',
  gracefulStop,
  requests: [{ name: 'home', path: '/' }],
});

test('Ctrl-C to the process group under pnpm exec: one stop, gracefulStop, summary and --out written, exit 105', { timeout: 60_000 }, async () => {
  const server = await startServer(() => ({ delayMs: 5 }));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'long.json', long(server.url, '5s'));
    const out = join(dir, 'r.json');
    const cli = startCli(['run', file, '--threads', '2', '--out', out], { viaPnpm: true, timeoutMs: 50_000 });
    await cli.stderrIncludes('running ctrl-c');
    await server.waitFor(20);
    cli.signal('SIGINT');
    const r = await cli.result;
    assert.equal(r.code, 105, `novaload's own exit code; stderr:\n${r.stderr}`);
    assert.equal(r.stderr.match(/(SIGINT|SIGTERM): stopping the load/g)?.length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /(SIGINT|SIGTERM) again/, 'the relayed copies count as the same request');
    assert.match(r.stdout, /Total Requests: \d+/);
    const report = JSON.parse(await readFile(out, 'utf8'));
    assert.equal(report.interrupted, true);
    assert.equal(report.totals.requests, server.seen.length, 'gracefulStop let every request in flight finish and be counted');
    assert.ok(report.durationMs < 20_000, `${report.durationMs} ms`);
  } finally {
    await server.close();
  }
});

test('a deliberate second Ctrl-C under pnpm exec skips gracefulStop; the report of what arrived is still printed and written, exit 105', { timeout: 60_000 }, async () => {
  const answered = 20;
  const server = await startServer((_req, i) => (i < answered ? {} : 'stall'));
  try {
    const dir = await tempDir();
    const file = await writeScenario(dir, 'stuck.json', long(server.url, '60s'));
    const out = join(dir, 'r.json');
    const cli = startCli(['run', file, '--threads', '2', '--out', out], { viaPnpm: true, timeoutMs: 50_000 });
    await server.waitFor(answered + 2); // both VUs now wait on a request that never answers
    cli.signal('SIGINT');
    // pnpm relays the terminal's SIGINT as SIGTERM, and either may reach novaload first: the first one names it.
    await cli.stderrIncludes(': stopping the load (gracefulStop)');
    // A person pressing Ctrl-C again: the pause is what makes it deliberate (copies within 1 s are the same request).
    await delay(1200);
    const second = Date.now();
    cli.signal('SIGINT');
    const r = await cli.result;
    assert.ok(Date.now() - second < 5000, `ended ${Date.now() - second} ms after the second signal, not after gracefulStop's 60 s; stderr:\n${r.stderr}`);
    assert.equal(r.code, 105, `novaload's own exit code; stderr:\n${r.stderr}`);
    assert.match(r.stderr, /(SIGINT|SIGTERM) again: skipping gracefulStop, writing the report of what arrived/);
    assert.match(r.stdout, new RegExp(`Total Requests: ${answered}\\b`));
    const report = JSON.parse(await readFile(out, 'utf8'));
    assert.equal(report.interrupted, true);
    assert.equal(report.totals.requests, answered, 'the answered requests are in the report; the two interrupted ones are not');
  } finally {
    await server.close();
  }
});
