import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHistogram, encodeHistogram, recordMicros, SnapshotError, type IntervalSnapshot } from '@novaload/report';
import { runScenario } from '../src/run/run-scenario.js';
import { LocalRunner, type RunHandle, type RunPlan, type RunSink, type ShareRunner } from '../src/run/runner.js';
import { RunControl } from '../src/run/control.js';
import { resolveScenario } from '../src/scenario/index.js';

const scenario = resolveScenario({ name: 'crash', target: 'http://127.0.0.1:9', executor: 'constant-vus', vus: 2, duration: '2s', requests: [{ name: 'r', path: '/' }] }, 'crash.json');
const quiet = { start() {}, end() {} };

function snapshot(share: number, second: number, requests: number): IntervalSnapshot {
  const h = createHistogram();
  for (let i = 0; i < requests; i++) recordMicros(h, 1000 + i);
  const hist = encodeHistogram(h);
  return {
    share, seq: second, second, vus: 1, dropped: 0,
    endpoints: { r: { requests, ok: requests, failed: 0, bytes: 0, errors: {}, latency: hist, serviceTime: hist, ttfb: hist } },
    generator: { lagMaxMs: 1, lagMeanMs: 1, utilization: 0.1 },
  };
}

/** Share 0 runs 2 seconds; share 1 sends second 0, then its thread dies. */
class CrashingRunner implements ShareRunner {
  readonly capacity = 2;
  async start(_plan: RunPlan, sink: RunSink): Promise<RunHandle> {
    const finished = (async () => {
      sink.snapshot(snapshot(0, 0, 10));
      sink.snapshot(snapshot(1, 0, 7));
      sink.snapshot(snapshot(0, 1, 10));
      sink.shareEnded(0);
      sink.shareEnded(1);
      return { agents: [], lost: 0, failures: [{ share: 1, message: 'worker exited with code 1' }] };
    })();
    return { startAt: Date.now(), stop() {}, finished };
  }
  async close(): Promise<void> {}
}

test('a share that crashes keeps what it sent in the report, and the crash is named', async () => {
  const report = await runScenario(scenario, { runner: new CrashingRunner(), control: new RunControl(), progress: quiet });
  assert.equal(report.totals.requests, 27);
  assert.deepEqual(report.failures, [{ share: 1, message: 'worker exited with code 1' }]);
  assert.equal(report.timeline.find((p) => p.t === 0)?.requests, 17);
});

test('LocalRunner: a thread whose share throws becomes a named failure, not a lost run', async () => {
  const broken = { ...scenario, executor: { type: 'no-such-executor' } } as never;
  const runner = await LocalRunner.open(2);
  try {
    const ended: number[] = [];
    const handle = await runner.start({ runId: 'x', scenario: broken, shares: 2, seed: 1 }, { snapshot: () => null, shareEnded: (s) => ended.push(s) });
    const outcome = await handle.finished;
    assert.deepEqual(outcome.failures.map((f) => f.share), [0, 1]);
    assert.match(outcome.failures[0]!.message, /no-such-executor|executor/i);
    assert.deepEqual(ended.sort(), [0, 1]);
  } finally {
    await runner.close();
  }
});

test('LocalRunner: a thread whose snapshot is refused is stopped and named like a crash; the others run on', async () => {
  const runner = await LocalRunner.open(2);
  try {
    const ended: number[] = [];
    const merged = new Set<number>();
    const sink: RunSink = {
      snapshot: (s) => (s.share === 1 ? new SnapshotError(s.share, s.seq, 'forged for the test') : (merged.add(s.share), null)),
      shareEnded: (s) => ended.push(s),
    };
    const handle = await runner.start({ runId: 'x', scenario, shares: 2, seed: 1 }, sink);
    const outcome = await handle.finished;
    assert.deepEqual(outcome.failures, [{ share: 1, message: 'snapshot refused: snapshot of share 1, seq 0: forged for the test' }]);
    assert.deepEqual([...merged], [0], 'share 0 kept running and reporting');
    assert.deepEqual(ended.sort(), [0, 1]);
  } finally {
    await runner.close();
  }
});
