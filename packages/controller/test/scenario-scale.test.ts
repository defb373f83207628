import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutorConfig } from '@novaload/agent';
import { main } from '../src/main.js';
import { memoryIo } from './helpers/io.js';
import { loadScenarios } from '../src/scenario/index.js';

const shipped = ['normal', 'peak', 'stress'].map((n) => fileURLToPath(new URL(`../../../../scenarios/${n}.json`, import.meta.url)));

/** The peak VUs of a closed model (or maxVUs of an open one), and the arrival rates. */
function shape(e: ExecutorConfig): Record<string, unknown> {
  switch (e.type) {
    case 'constant-vus':
    case 'per-vu-iterations':
    case 'shared-iterations':
      return { vus: e.vus };
    case 'ramping-vus':
      return { startVUs: e.startVUs, targets: e.stages.map((s) => s.target) };
    case 'constant-arrival-rate':
      return { rate: e.rate, maxVUs: e.maxVUs, maxQueue: e.maxQueue };
    case 'ramping-arrival-rate':
      return { startRate: e.startRate, targets: e.stages.map((s) => s.target), maxVUs: e.maxVUs, maxQueue: e.maxQueue };
  }
}

test('--scale 0.1 keeps the shipped suite\'s shape: 100 : 500 : 1000 VUs become 10 : 50 : 100 (--vus 10 makes them all 10)', async () => {
  const scaled = await loadScenarios(shipped, { scale: 0.1 });
  assert.deepEqual(scaled.map((s) => shape(s.executor)), [
    { startVUs: 0, targets: [10, 10] },
    { startVUs: 0, targets: [50, 50] },
    { startVUs: 0, targets: [100, 100] },
  ]);
  const flat = await loadScenarios(shipped, { vus: 10 });
  assert.deepEqual(flat.map((s) => shape(s.executor)), [0, 1, 2].map(() => ({ startVUs: 0, targets: [10, 10] })));
});

test('--scale rounds VU counts to whole VUs and never below 1 (0 stays 0); stage lengths are untouched', async () => {
  const tiny = await loadScenarios(shipped, { scale: 0.0001 });
  assert.deepEqual(tiny.map((s) => shape(s.executor)), [0, 1, 2].map(() => ({ startVUs: 0, targets: [1, 1] })));
  const [normal] = await loadScenarios(shipped.slice(0, 1), { scale: 0.125 });
  assert.deepEqual(shape(normal!.executor), { startVUs: 0, targets: [13, 13] }, '12.5 rounds to 13');
  assert.deepEqual(normal!.executor.type === 'ramping-vus' && normal!.executor.stages.map((s) => s.durationMs), [10_000, 300_000]);
});

test('--scale over a mixed suite: VUs, rates and the open models\' limits all scale; derived limits follow the scaled rate', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-scale-'));
  const base = { target: 'http://127.0.0.1:3000', requests: [{ path: '/' }] };
  const files = {
    closed: { ...base, executor: 'constant-vus', vus: 3, duration: '10s' },
    ramp: { ...base, executor: 'ramping-vus', startVUs: 4, stages: [{ duration: '5s', target: 40 }, { duration: '5s', target: 0 }] },
    fixed: { ...base, executor: 'constant-arrival-rate', rate: 200, duration: '10s', maxVUs: 50, maxQueue: 100 },
    rising: { ...base, executor: 'ramping-arrival-rate', startRate: 5, stages: [{ duration: '5s', target: 300 }, { duration: '5s', target: 7.5 }] },
  };
  const paths = await Promise.all(Object.entries(files).map(async ([name, sc]) => {
    const path = join(dir, `${name}.json`);
    await writeFile(path, JSON.stringify(sc));
    return path;
  }));
  const scaled = await loadScenarios(paths, { scale: 0.1 });
  assert.deepEqual(scaled.map((s) => shape(s.executor)), [
    { vus: 1 },
    { startVUs: 1, targets: [4, 0] },
    { rate: 20, maxVUs: 5, maxQueue: 10 },
    { startRate: 0.5, targets: [30, 0.75], maxVUs: 30, maxQueue: 30 },
  ]);
  const doubled = await loadScenarios(paths, { scale: 2 });
  assert.deepEqual(doubled.map((s) => shape(s.executor)), [
    { vus: 6 },
    { startVUs: 8, targets: [80, 0] },
    { rate: 400, maxVUs: 100, maxQueue: 200 },
    { startRate: 10, targets: [600, 15], maxVUs: 600, maxQueue: 600 },
  ]);
  const third = await loadScenarios(paths.slice(3), { scale: 1 / 3 });
  assert.deepEqual(shape(third[0]!.executor), { startRate: 1.666667, targets: [100, 2.5], maxVUs: 100, maxQueue: 100 }, 'rates keep fractions, to a millionth');
});

const io = memoryIo;

test('--scale: a value ≤ 0 and a combination with --vus or --rate are invalid input (104); --help says what --vus/--rate do', async () => {
  const zero = io();
  assert.equal(await main(['run', shipped[0]!, '--scale', '0'], zero), 104);
  assert.match(zero.err, /--scale must be a number > 0 \(got 0\)/);
  const both = io();
  assert.equal(await main(['run', shipped[0]!, '--scale', '0.1', '--vus', '10'], both), 104);
  assert.match(both.err, /--scale does not combine with --vus: --scale multiplies every file's VUs and rates, --vus sets each file's peak/);
  const rate = io();
  assert.equal(await main(['run', shipped[0]!, '--scale', '0.1', '--rate', '10'], rate), 104);
  assert.match(rate.err, /--scale does not combine with --rate/);
  const bench = io();
  assert.equal(await main(['bench', 'http://127.0.0.1:9/', '--scale', '2'], bench), 104);
  assert.match(bench.err, /flag --scale does not apply to "bench"/);
  const help = io();
  assert.equal(await main(['run', '--help'], help), 0);
  assert.match(help.out.replace(/\s+/g, ' '), /--vus set each file's peak to N VUs/);
  assert.match(help.out.replace(/\s+/g, ' '), /--scale multiply every VU count and arrival rate of every file by F/);
});
