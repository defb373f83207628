import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHistogram, decodeHistogram, latencyStats, percentileMs, RunAggregator, SnapshotError, type Histogram, type IntervalSnapshot } from '../src/index.js';
import { endpoint, latencyMicros, META, seeded, snapshot } from './fixtures.js';

const SHARES = 3;
const SECONDS = 6;
const NAMES = ['list-tasks', 'create-task'];
const KINDS = ['HTTP_503', 'TIMEOUT', 'ECONNRESET'];

type Refs = { latency: Histogram; serviceTime: Histogram; ttfb: Histogram };
const refs = (): Refs => ({ latency: createHistogram(), serviceTime: createHistogram(), ttfb: createHistogram() });

/** A 3-share run of seeded samples, plus what one histogram fed every value says about it. */
function simulate(seed: number) {
  const rand = seeded(seed);
  const overall = refs();
  const byName = new Map(NAMES.map((n) => [n, refs()]));
  const perSecond = Array.from({ length: SECONDS }, () => createHistogram());
  const expected = { requests: 0, failed: 0, dropped: 0, errors: {} as Record<string, number>, timeline: [] as { requests: number; errors: number; vus: number; dropped: number }[] };
  const snaps: IntervalSnapshot[] = [];
  for (let second = 0; second < SECONDS; second++) {
    const point = { requests: 0, errors: 0, vus: 0, dropped: 0 };
    for (let share = 0; share < SHARES; share++) {
      const endpoints: IntervalSnapshot['endpoints'] = {};
      for (const name of NAMES) {
        const n = second === 2 && share === 1 ? 0 : Math.floor(rand() * 200);
        if (n === 0) continue; // names without completions are absent
        const lat = Array.from({ length: n }, () => latencyMicros(rand));
        const errors = lat.filter(() => rand() < 0.05).map(() => KINDS[Math.floor(rand() * KINDS.length)]!);
        const ref = byName.get(name)!;
        for (const v of lat) recordBoth(perSecond[second]!, overall.latency, v);
        const svc = lat.map((v) => Math.max(1, v - Math.floor(rand() * 500)));
        const ttfb = svc.map((v) => Math.max(1, Math.floor(v * rand())));
        svc.forEach((v) => recordBoth(overall.serviceTime, undefined, v));
        ttfb.forEach((v) => recordBoth(overall.ttfb, undefined, v));
        endpoints[name] = endpoint({ latency: lat, serviceTime: svc, ttfb, errors, bytes: n * 100 }, ref);
        point.requests += n;
        point.errors += errors.length;
        for (const k of errors) expected.errors[k] = (expected.errors[k] ?? 0) + 1;
      }
      const vus = 10 + share + second;
      const dropped = share === 0 ? second : 0;
      point.vus += vus;
      point.dropped += dropped;
      snaps.push(snapshot({ share, seq: second, second, vus, dropped, endpoints }));
    }
    expected.requests += point.requests;
    expected.failed += point.errors;
    expected.dropped += point.dropped;
    expected.timeline.push(point);
  }
  return { snaps, overall, byName, perSecond, expected };
}

function recordBoth(a: Histogram, b: Histogram | undefined, v: number): void {
  a.recordValue(v);
  b?.recordValue(v);
}

const finishOpts = { durationMs: SECONDS * 1000, interrupted: false, thresholds: {} };

test('merged statistics equal those of one histogram fed every value, exactly', () => {
  const sim = simulate(42);
  const agg = new RunAggregator(META, SHARES);
  for (const s of sim.snaps) assert.equal(agg.add(s), true);
  const report = agg.finish(finishOpts);
  assert.deepEqual(report.latency, latencyStats(sim.overall.latency));
  assert.deepEqual(report.serviceTime, latencyStats(sim.overall.serviceTime));
  assert.deepEqual(report.ttfb, latencyStats(sim.overall.ttfb));
  for (const e of report.endpoints) {
    const ref = sim.byName.get(e.name)!;
    assert.deepEqual(e.latency, latencyStats(ref.latency), e.name);
    assert.deepEqual(e.serviceTime, latencyStats(ref.serviceTime), e.name);
    assert.deepEqual(e.ttfb, latencyStats(ref.ttfb), e.name);
  }
  assert.deepEqual(latencyStats(decodeHistogram(report.histogram)), report.latency, 'the encoded histogram is the overall latency');
});

test('delivery order does not change the report', () => {
  const sim = simulate(7);
  const inOrder = new RunAggregator(META, SHARES);
  sim.snaps.forEach((s) => inOrder.add(s));
  const rand = seeded(99);
  const shuffled = [...sim.snaps].sort(() => rand() - 0.5);
  const outOfOrder = new RunAggregator(META, SHARES);
  shuffled.forEach((s) => outOfOrder.add(s));
  assert.deepEqual(outOfOrder.finish(finishOpts), inOrder.finish(finishOpts));
});

test('current(): the run so far, up to the last complete second, and finish() after it is unchanged', () => {
  const sim = simulate(11);
  const live = new RunAggregator(META, SHARES);
  const plain = new RunAggregator(META, SHARES);
  // Every snapshot but share 2's of the last second: that second stays in flight.
  const held = sim.snaps.filter((s) => s.share === 2 && s.second === SECONDS - 1);
  const early = sim.snaps.filter((s) => !held.includes(s));
  early.forEach((s) => live.add(s));
  const now = live.current(finishOpts);
  assert.deepEqual(now.timeline.map((p) => p.t), [0, 1, 2, 3, 4], 'the last second is not complete yet');
  const merged = early.reduce((n, s) => n + Object.values(s.endpoints).reduce((m, e) => m + e.requests, 0), 0);
  assert.equal(now.totals.requests, merged, 'totals count every snapshot merged so far');
  held.forEach((s) => live.add(s));
  sim.snaps.forEach((s) => plain.add(s));
  assert.deepEqual(live.finish(finishOpts), plain.finish(finishOpts));
});

test('a repeated (share, seq) is ignored', () => {
  const sim = simulate(3);
  const once = new RunAggregator(META, SHARES);
  const twice = new RunAggregator(META, SHARES);
  sim.snaps.forEach((s) => once.add(s));
  for (const s of sim.snaps) {
    assert.equal(twice.add(s), true);
    assert.equal(twice.add(structuredClone(s)), false);
  }
  assert.deepEqual(twice.finish(finishOpts), once.finish(finishOpts));
});

test('totals, rates and errors add up', () => {
  const sim = simulate(11);
  const agg = new RunAggregator(META, SHARES);
  sim.snaps.forEach((s) => agg.add(s));
  const r = agg.finish(finishOpts);
  assert.equal(r.totals.requests, sim.expected.requests);
  assert.equal(r.totals.failed, sim.expected.failed);
  assert.equal(r.totals.failed, Object.values(r.errors).reduce((a, b) => a + b, 0));
  assert.equal(r.totals.ok + r.totals.failed, r.totals.requests);
  assert.deepEqual(r.errors, sim.expected.errors);
  assert.equal(r.totals.dropped, sim.expected.dropped);
  assert.equal(r.rps, sim.expected.requests / SECONDS);
  assert.equal(r.errorRate, (sim.expected.failed / sim.expected.requests) * 100);
  assert.equal(r.successRate, (r.totals.ok / r.totals.requests) * 100);
  assert.equal(r.endpoints.reduce((a, e) => a + e.totals.requests, 0), r.totals.requests);
  assert.equal(r.endpoints.reduce((a, e) => a + e.totals.bytesReceived, 0), r.totals.bytesReceived);
  assert.equal(r.version, 1);
  assert.equal(r.startedAt, '2025-01-02T03:04:05.000Z');
});

test('the timeline has every second, summed over shares, with that second\'s percentiles', () => {
  const sim = simulate(5);
  const agg = new RunAggregator(META, SHARES);
  sim.snaps.forEach((s) => agg.add(s));
  const { timeline } = agg.finish(finishOpts);
  assert.deepEqual(timeline.map((p) => p.t), [0, 1, 2, 3, 4, 5]);
  timeline.forEach((p, t) => {
    const { requests, errors, vus, dropped } = sim.expected.timeline[t]!;
    assert.deepEqual({ requests: p.requests, errors: p.errors, vus: p.vus, dropped: p.dropped }, { requests, errors, vus, dropped });
    const h = sim.perSecond[t]!;
    assert.deepEqual(p.latency, { p50: percentileMs(h, 50), p95: percentileMs(h, 95), p99: percentileMs(h, 99) });
  });
});

test('a second is summarised once every share sent it; the rest at finish', () => {
  const sim = simulate(8);
  const agg = new RunAggregator(META, SHARES);
  assert.deepEqual(agg.live(), { second: -1, vus: 0, rps: 0, p99: 0, errors: 0, requests: 0 });
  const byKey = (share: number, second: number) => sim.snaps.find((s) => s.share === share && s.second === second)!;
  agg.add(byKey(0, 0));
  agg.add(byKey(1, 0));
  agg.add(byKey(0, 1));
  assert.equal(agg.pendingSeconds, 2);
  assert.equal(agg.live().second, -1);
  agg.add(byKey(2, 0));
  assert.equal(agg.pendingSeconds, 1, 'second 0 is complete and its histogram dropped');
  const live = agg.live();
  assert.equal(live.second, 0);
  assert.equal(live.rps, sim.expected.timeline[0]!.requests);
  assert.equal(live.vus, sim.expected.timeline[0]!.vus);
  assert.equal(live.p99, percentileMs(sim.perSecond[0]!, 99));
  const report = agg.finish({ ...finishOpts, durationMs: 2000, interrupted: true });
  assert.equal(agg.pendingSeconds, 0);
  assert.deepEqual(report.timeline.map((p) => [p.t, p.vus]), [[0, sim.expected.timeline[0]!.vus], [1, byKey(0, 1).vus]]);
  assert.equal(report.interrupted, true);
});

test('every declared request is listed in order, even without requests', () => {
  const meta = { ...META, requests: [{ name: 'unused', method: 'DELETE', path: '/x' }, ...META.requests] };
  const agg = new RunAggregator(meta, 1);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'create-task': endpoint({ latency: [1000], serviceTime: [900], ttfb: [500], errors: [] }) } }));
  const r = agg.finish(finishOpts);
  assert.deepEqual(r.endpoints.map((e) => [e.name, e.method, e.path, e.totals.requests]), [
    ['unused', 'DELETE', '/x', 0],
    ['list-tasks', 'GET', '/api/tasks', 0],
    ['create-task', 'POST', '/api/tasks', 1],
  ]);
  assert.deepEqual(r.endpoints[0]!.latency, latencyStats(createHistogram()));
  assert.equal(r.totals.requests, 1);
});

test('snapshots that break the contract are refused with a SnapshotError before merging any of it', () => {
  const agg = new RunAggregator(META, 2, 5);
  const name = META.requests[0]!.name;
  const ok = () => endpoint({ latency: [1000, 2000], serviceTime: [900, 1900], ttfb: [500], errors: ['TIMEOUT'] });
  const refused = (endpoints: IntervalSnapshot['endpoints'], problem: RegExp, fields: Partial<IntervalSnapshot> = {}, slack = 0) =>
    assert.throws(() => agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints, ...fields }), slack), (err: unknown) => err instanceof SnapshotError && err.code === 'BAD_SNAPSHOT' && problem.test(err.message));
  refused({ [name]: { ...ok(), errors: {} } }, /share 0, seq 0: "list-tasks" counts do not add up/);
  refused({ [name]: { ...ok(), ok: 2 } }, /counts do not add up/);
  refused({}, /share is not in 0\.\.1/, { share: 2 });
  refused({ extra: ok() }, /request "extra" is not in the scenario/);
  refused({ [name]: { ...ok(), requests: 1e12, ok: 1e12 - 1 } }, /requests 1000000000000 but its latency histogram holds 2/);
  refused({ [name]: { ...ok(), requests: 1e300, ok: 1e300 - 1 } }, /requests 1e\+300 is not an integer in 0\.\.2\^53/);
  refused({ [name]: { ...ok(), bytes: -1 } }, /bytes -1 is not an integer/);
  refused({ [name]: { ...ok(), errors: { TIMEOUT: 0.5, X: 0.5 } } }, /error TIMEOUT count 0\.5/);
  refused({ [name]: { ...ok(), serviceTime: endpoint({ latency: [1], serviceTime: [1], ttfb: [], errors: [] }).latency } }, /requests 2 but its serviceTime histogram holds 1/);
  refused({ [name]: { ...ok(), ttfb: ok().latency.replace(/^.{12}/, 'AAAAAAAAAAAA') } }, /"list-tasks" ttfb histogram: not an HdrHistogram/);
  refused({ [name]: { ...ok(), ttfb: endpoint({ latency: [1, 2, 3], serviceTime: [], ttfb: [], errors: [] }).latency } }, /its ttfb histogram holds 3/);
  refused({}, /second 1000000000 is past the run \(its last second is 5/, { second: 1e9 });
  refused({}, /second 7 is past the run \(its last second is 6/, { second: 7 }, 0.4);
  refused({}, /vus -1 is not an integer/, { vus: -1 });
  assert.equal(agg.add(snapshot({ share: 0, seq: 0, second: 7, endpoints: { [name]: ok() } }), 2), true, 'refused seqs were not marked seen; slack widens the last second');
  assert.equal(agg.finish(finishOpts).totals.requests, 2, 'nothing of a refused snapshot was merged');
  assert.throws(() => new RunAggregator(META, 0), RangeError);
});

test('generator figures and the saturation rule', () => {
  const run = (samples: { lagMeanMs: number; utilization: number; lagMaxMs: number }[]) => {
    const agg = new RunAggregator(META, 1);
    samples.forEach((generator, i) => agg.add(snapshot({ share: 0, seq: i, second: i, generator })));
    return agg.finish({ ...finishOpts, durationMs: samples.length * 1000 }).generator;
  };
  const calm = { lagMeanMs: 1, utilization: 0.3, lagMaxMs: 5 };
  const tenPercentBusy = [{ lagMeanMs: 1, utilization: 0.95, lagMaxMs: 80 }, ...Array(9).fill(calm)];
  assert.deepEqual(run(tenPercentBusy), { lagMaxMs: 80, utilizationMax: 0.95, saturated: false });
  assert.equal(run([{ lagMeanMs: 25, utilization: 0.5, lagMaxMs: 60 }, { lagMeanMs: 1, utilization: 0.9, lagMaxMs: 5 }, ...Array(8).fill(calm)]).saturated, true);
  assert.deepEqual(run([]), { lagMaxMs: 0, utilizationMax: 0, saturated: false });
  // Slivers of a second (a run's start or end, a run of a few ms) are too short to judge.
  const sliver = { lagMeanMs: 0, utilization: 0.97, lagMaxMs: 3, intervalMs: 20 };
  assert.deepEqual(run([sliver]), { lagMaxMs: 3, utilizationMax: 0.97, saturated: false });
  assert.deepEqual(run([sliver, ...Array(5).fill({ ...calm, intervalMs: 1000 }), sliver]), { lagMaxMs: 5, utilizationMax: 0.3, saturated: false });
  assert.equal(run([{ ...sliver, intervalMs: 300 }, ...Array(5).fill(calm)]).saturated, true, 'a 300 ms interval is judged');
});

test('one more snapshot of an already summarised second still counts', () => {
  const agg = new RunAggregator(META, 2);
  const ep = (ms: number, errors: string[] = []) => ({ 'list-tasks': endpoint({ latency: [ms * 1000], serviceTime: [ms * 1000], ttfb: [ms * 1000], errors }) });
  agg.add(snapshot({ share: 0, seq: 0, second: 0, vus: 1, endpoints: ep(10) }));
  agg.add(snapshot({ share: 1, seq: 0, second: 0, vus: 1, endpoints: ep(20) }));
  const before = agg.finish(finishOpts).timeline[0]!;
  agg.add(snapshot({ share: 0, seq: 1, second: 0, vus: 1, dropped: 2, endpoints: ep(900, ['TIMEOUT']) }));
  const after = agg.finish(finishOpts);
  assert.deepEqual(after.timeline, [{ ...before, requests: 3, errors: 1, dropped: 2 }]);
  assert.equal(before.requests, 2, 'an earlier report is not changed');
  assert.equal(after.totals.requests, 3);
  assert.equal(after.latency.max, 900.095, 'the late latency is in the totals (900 ms, HDR bucket top)');
});

test('a share that ended or was lost is no longer waited for', () => {
  const agg = new RunAggregator(META, 3);
  const at = (share: number, second: number) => agg.add(snapshot({ share, seq: second, second, vus: 1 }));
  for (const [share, second] of [[0, 0], [1, 0], [2, 0], [0, 1], [1, 1], [0, 2], [1, 2]] as const) at(share, second);
  assert.equal(agg.pendingSeconds, 2, 'seconds 1 and 2 wait for share 2');
  agg.shareEnded(2);
  assert.equal(agg.pendingSeconds, 0);
  assert.equal(agg.live().second, 2);
  at(0, 3);
  at(1, 3);
  assert.equal(agg.live().second, 3, 'later seconds complete with the shares still running');
  at(2, 1);
  const report = agg.finish(finishOpts);
  assert.deepEqual(report.timeline.map((p) => [p.t, p.vus]), [[0, 3], [1, 2], [2, 2], [3, 2]], 'a returning share still counts, its VUs not re-summed');
});

test('a long run: 3,600 seconds from 3 shares keep at most a few seconds in flight, and every second in the timeline', () => {
  const agg = new RunAggregator(META, 3);
  const rand = seeded(99);
  const values = () => Array.from({ length: 20 }, () => latencyMicros(rand));
  // One encoded endpoint per share, reused: the aggregator must not keep what it was given.
  const ep = [0, 1, 2].map(() => { const v = values(); return endpoint({ latency: v, serviceTime: v, ttfb: v, errors: [] }); });
  let maxPending = 0;
  for (let second = 0; second < 3600; second++) {
    for (let share = 0; share < 3; share++) {
      // Shares arrive a second apart from each other, as over a network.
      const s = second - share;
      if (s >= 0) agg.add(snapshot({ share, seq: s, second: s, endpoints: { [META.requests[0]!.name]: ep[share]! } }));
    }
    maxPending = Math.max(maxPending, agg.pendingSeconds);
  }
  assert.ok(maxPending <= 3, `${maxPending} seconds held at once`);
  for (let share = 1; share < 3; share++) for (let s = 3600 - share; s < 3600; s++) agg.add(snapshot({ share, seq: s, second: s, endpoints: { [META.requests[0]!.name]: ep[share]! } }));
  const report = agg.finish({ durationMs: 3_600_000, interrupted: false, thresholds: {} });
  assert.equal(report.timeline.length, 3600);
  assert.equal(report.totals.requests, 3600 * 3 * 20);
});
