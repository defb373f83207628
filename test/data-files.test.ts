/**
 * End to end, data files: sequential rows with `stop` are each used once
 * across 2 threads and across 2 agents (which never see the file), the run
 * stops starting iterations when they run out and says so in the report,
 * and a malformed file is a 104 naming its line before anything is sent.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer } from './helpers/servers.js';
import { runCli, tempDir, writeScenario } from './helpers/cli.js';
import { startAgent, startController } from './helpers/distributed.js';

const ROWS = 40;

/** A CSV of ROWS users, and a 4-VU scenario of 20 s that reads it sequentially and stops when the rows run out. */
async function journey(dir: string, target: string): Promise<string> {
  const lines = ['user,password', ...Array.from({ length: ROWS }, (_, r) => `user${r},"pw,${r}"`)];
  await writeFile(join(dir, 'users.csv'), `${lines.join('\r\n')}\r\n`);
  return writeScenario(dir, 'login.json', {
    name: 'login',
    target,
    executor: 'constant-vus',
    vus: 4,
    duration: '20s',
    data: { file: 'users.csv', mode: 'sequential', onExhausted: 'stop' },
    requests: [{ name: 'login', method: 'POST', path: '/login', json: { ok: true } }],
  });
}

/** The report's data section and counts for a run that used every row once. */
function assertRowsRanOut(report: Record<string, any>, seen: number, stdout: string): void {
  assert.equal(seen, ROWS, 'the server saw one login per row');
  assert.equal(report.totals.requests, ROWS);
  assert.equal(report.totals.ok, ROWS);
  assert.equal(report.totals.dropped, 0);
  assert.equal(report.interrupted, false);
  assert.ok(report.durationMs < 10_000, `stopped when the rows ran out, after ${report.durationMs} ms of a 20 s plan`);
  const { exhaustedAtMs, ...data } = report.data;
  assert.deepEqual(data, { file: 'users.csv', mode: 'sequential', onExhausted: 'stop', rows: ROWS, taken: ROWS, exhausted: true });
  assert.ok(exhaustedAtMs >= 0 && exhaustedAtMs <= report.durationMs, `exhausted at ${exhaustedAtMs} ms`);
  if (stdout !== '') assert.match(stdout, new RegExp(`Data: users.csv \\(sequential, stop\\): ${ROWS} row\\(s\\), ${ROWS} taken by iterations; the rows ran out at [\\d.]+ s and no more iterations were started \\(not an error\\)\\.`));
}

test('sequential + stop across 2 threads: each row once, the run ends when they run out, exit 0', async () => {
  const server = await startServer(() => ({ delayMs: 5 }));
  try {
    const dir = await tempDir();
    const file = await journey(dir, server.url);
    const r = await runCli(['run', file, '--threads', '2', '--out', join(dir, 'r.json')]);
    assert.equal(r.code, 0, r.stderr);
    assertRowsRanOut(JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')), server.seen.length, r.stdout);
  } finally {
    await server.close();
  }
});

test('sequential + stop across 2 agents that never see the file: each row once, exit 0', async () => {
  const server = await startServer(() => ({ delayMs: 5 }));
  try {
    const dir = await tempDir();
    const file = await journey(dir, server.url);
    const ctl = await startController(['run', file, '--agents', '2', '--quiet', '--out', join(dir, 'r.json')]);
    // Loaded by the controller already: the agents get their rows in the plan.
    await rm(join(dir, 'users.csv'));
    const agents = ['a', 'b'].map((name) => startAgent(ctl.url, ['--name', name, '--once']));
    const r = await ctl.result;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await Promise.all(agents.map((a) => a.result.then((x) => x.code))), [0, 0]);
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8'));
    assertRowsRanOut(report, server.seen.length, '');
    assert.deepEqual(report.agents.map((a: { requests: number }) => a.requests), [ROWS / 2, ROWS / 2], 'row r went to share r mod 2');
  } finally {
    await server.close();
  }
});

test('validate and run: a malformed data file is a 104 naming the line, and nothing is sent', async () => {
  const server = await startServer();
  try {
    const dir = await tempDir();
    const file = await journey(dir, server.url);
    await writeFile(join(dir, 'users.csv'), 'user,password\nuser0,a\nuser1\n');
    for (const command of ['validate', 'run']) {
      const r = await runCli([command, file]);
      assert.equal(r.code, 104, r.stderr);
      assert.match(r.stderr, /login\.json: \$\.data\.file: .*users\.csv: malformed CSV at line 3: Invalid Record Length: expect 2, got 1/);
    }
    assert.equal(server.seen.length, 0);
  } finally {
    await server.close();
  }
});
