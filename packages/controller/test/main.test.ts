import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../src/main.js';
import { memoryIo } from './helpers/io.js';
import { exitCodeFor } from '../src/run/execute.js';
import type { Report } from '@novaload/report';

const io = memoryIo;

test('help is printed to stdout, exit 0', async () => {
  const x = io();
  assert.equal(await main(['--help'], x), 0);
  assert.match(x.out, /run <scenarios\.\.>/);
  assert.match(x.out, /Exit codes/);
});

test('no command, an unknown command, an unknown flag: exit 104 with a named problem', async () => {
  const a = io();
  assert.equal(await main([], a), 104);
  assert.match(a.err, /name a command/);
  const b = io();
  assert.equal(await main(['rnu', 'x.json'], b), 104);
  assert.match(b.err, /run/);
  const c = io();
  assert.equal(await main(['validate', 'x.json', '--thraeds', '2'], c), 104);
  assert.match(c.err, /--thraeds: did you mean --threads\?/);
});

test('bench: a malformed URL and a header without a colon are invalid input', async () => {
  const a = io();
  assert.equal(await main(['bench', 'not a url'], a), 104);
  assert.match(a.err, /not a URL/);
  const b = io();
  assert.equal(await main(['bench', 'http://127.0.0.1:9/', '-H', 'nocolon'], b), 104);
  assert.match(b.err, /-H "nocolon"/);
  const c = io();
  assert.equal(await main(['bench', 'http://127.0.0.1:9/', '-c', '0'], c), 104);
  assert.match(c.err, /--connections must be a whole number/);
});

test('report: a file that is not a v1 report is invalid input', async () => {
  const a = io();
  assert.equal(await main(['report', '/nonexistent/r.json'], a), 104);
  assert.match(a.err, /cannot read report/);
});

test('exit code: an abort threshold (108) or else a signal (105) beats fail, which beats pass/warn', () => {
  const r = (verdict: Report['verdict']) => ({ verdict }) as Report;
  const aborted = { verdict: 'fail', aborted: { metric: 'latency.p99', level: 'critical', expression: '<1s for 2s', second: 3 } } as Report;
  assert.equal(exitCodeFor([r('pass'), r('warn')], false), 0);
  assert.equal(exitCodeFor([r('pass'), r('fail')], false), 99);
  assert.equal(exitCodeFor([r('fail')], true), 105);
  assert.equal(exitCodeFor([r('pass'), aborted], true), 108, 'the report says aborted only when the threshold stopped the run first');
});

test('shares never outnumber VUs or pool connections', async () => {
  const { sharesFor } = await import('../src/run/shares.js');
  const { resolveScenario } = await import('../src/scenario/index.js');
  const open = resolveScenario({ target: 'http://127.0.0.1:1', executor: 'constant-arrival-rate', rate: 10, duration: '1s', maxVUs: 3, requests: [{ path: '/' }] }, 'x.json');
  assert.equal(sharesFor(open, 8), 3);
  assert.equal(sharesFor(open, 2), 2);
  const ramp = resolveScenario({ target: 'http://127.0.0.1:1', executor: 'ramping-vus', stages: [{ duration: '1s', target: 5 }, { duration: '1s', target: 0 }], requests: [{ path: '/' }], http: { connections: 2 } }, 'x.json');
  assert.equal(sharesFor(ramp, 8), 2);
});

test('worker heap: 128 MB plus 16 KB per VU of the busiest thread', async () => {
  const { workerHeapMb } = await import('../src/run/runner.js');
  const { resolveScenario } = await import('../src/scenario/index.js');
  const closed = (vus: number) => resolveScenario({ target: 'http://127.0.0.1:1', executor: 'constant-vus', vus, duration: '1s', requests: [{ path: '/' }] }, 'x.json');
  assert.equal(workerHeapMb([closed(10_000)], 2), 128 + Math.ceil((5000 * 16) / 1024));
  assert.equal(workerHeapMb([closed(1), closed(10_000)], 2), 207);
  assert.equal(workerHeapMb([closed(3)], 8), 129, 'three VUs make three shares of one VU');
});
