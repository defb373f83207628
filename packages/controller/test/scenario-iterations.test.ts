/** The iteration-count executors in a scenario file: k6's defaults, every problem at its JSON path (104), and the CLI overrides. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/main.js';
import { InputError, resolveScenario, type Problem } from '../src/scenario/index.js';
import { memoryIo } from './helpers/io.js';

const base = { target: 'http://127.0.0.1:3000', requests: [{ name: 'list', path: '/api/tasks' }] };

function problemsOf(raw: unknown): Map<string, Problem> {
  try {
    resolveScenario(raw, 'bad.json', {});
  } catch (err) {
    assert.ok(err instanceof InputError);
    return new Map(err.problems.map((p) => [p.path, p]));
  }
  assert.fail('expected an InputError');
}

test('per-vu-iterations and shared-iterations take k6\'s defaults: 1 VU, 1 iteration, maxDuration 10m; thinkTime applies (closed models)', () => {
  for (const type of ['per-vu-iterations', 'shared-iterations'] as const) {
    assert.deepEqual(resolveScenario({ ...base, executor: type }, 'a.json', {}).executor, { type, vus: 1, iterations: 1, maxDurationMs: 600_000 });
    const given = resolveScenario({ ...base, executor: type, vus: 3, iterations: 7, maxDuration: '2m', thinkTime: '100ms' }, 'a.json', {});
    assert.deepEqual(given.executor, { type, vus: 3, iterations: 7, maxDurationMs: 120_000 });
    assert.deepEqual(given.thinkTime, { minMs: 100, maxMs: 100 });
  }
});

test('iteration executors: each problem at its JSON path, with a hint', () => {
  const shared = problemsOf({ ...base, executor: 'shared-iterations', vus: 5, iterations: 3 });
  assert.deepEqual([...shared.keys()], ['$.iterations']);
  assert.match(shared.get('$.iterations')!.message, /3 iteration\(s\) cannot be shared by 5 VUs/);
  assert.match(shared.get('$.iterations')!.hint ?? '', /give at least 5 iterations/);

  const perVu = problemsOf({ ...base, executor: 'per-vu-iterations', duration: '1s', iterations: 0, maxDuration: '0' });
  assert.deepEqual([...perVu.keys()].sort(), ['$.duration', '$.iterations', '$.maxDuration']);
  assert.match(perVu.get('$.duration')!.message, /"duration" does not apply to per-vu-iterations/);
  assert.match(perVu.get('$.maxDuration')!.message, /must be longer than 0/);

  const wrongHome = problemsOf({ ...base, executor: 'constant-vus', vus: 1, duration: '1s', iterations: 5 });
  assert.match(wrongHome.get('$.iterations')!.message, /"iterations" does not apply to constant-vus; it belongs to per-vu-iterations, shared-iterations/);
});

test('--duration sets maxDuration and --vus sets vus (iterations stay); validate says the count, and a bad file exits 104 naming the path', async () => {
  const o = resolveScenario({ ...base, executor: 'per-vu-iterations', vus: 2, iterations: 4 }, 'a.json', { durationMs: 5000, vus: 6 });
  assert.deepEqual(o.executor, { type: 'per-vu-iterations', vus: 6, iterations: 4, maxDurationMs: 5000 });

  const dir = await mkdtemp(join(tmpdir(), 'novaload-iterations-'));
  const good = join(dir, 'good.json');
  await writeFile(good, JSON.stringify({ ...base, executor: 'per-vu-iterations', vus: 3, iterations: 4, maxDuration: '1m' }));
  const ok = memoryIo();
  assert.equal(await main(['validate', good], ok), 0, ok.err);
  assert.match(ok.out, /per-vu-iterations, 1 request\(s\), 12 iteration\(s\) planned within 1m, 0 threshold\(s\)/);
  const file = join(dir, 'bad.json');
  await writeFile(file, JSON.stringify({ ...base, executor: 'shared-iterations', vus: 2, iterations: 1.5 }));
  const io = memoryIo();
  assert.equal(await main(['validate', file], io), 104);
  assert.match(io.err, /\$\.iterations: .*integer/);
});
