/** The controller-scale bench feeds what real agents send: its snapshot bodies pass the controller's own check, and count what they say. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSnapshot, type IntervalSnapshot } from '@novaload/report';
import { measure, scaleRow } from '../lib/controller-scale.js';
import { requestNames, snapshotBodies } from '../lib/sim-snapshots.js';

test('simulated snapshot bodies are honest: the snapshot check accepts them, their requests add up, and their latencies spread', () => {
  const names = requestNames(5);
  const bodies = snapshotBodies(5, 20, 3);
  assert.equal(bodies.length, 3);
  for (const body of bodies) {
    const snapshot: IntervalSnapshot = { share: 0, seq: 0, second: 0, vus: 4, dropped: 0, endpoints: JSON.parse(body.json), generator: { lagMaxMs: 1, lagMeanMs: 0.1, utilization: 0.4 } };
    const checked = checkSnapshot(snapshot, { shares: 1, names: new Set(names), lastSecond: 10 });
    assert.deepEqual(checked.map((c) => c.name), names);
    assert.equal(checked.reduce((sum, c) => sum + c.ep.requests, 0), body.requests);
    for (const c of checked) {
      assert.ok(c.decoded.latency.indexes.length >= 5, `${c.name}: latencies fill several buckets`);
      assert.equal(c.decoded.phases!.connect.totalCount, c.ep.requests, 'connection phases count every response once zeros are implied');
    }
  }
});

test('one controller-scale measurement: a real controller merges what the simulated agents send, every request counted, each second timed', async () => {
  const f = await measure({ shares: 3, names: 2, seconds: 2, speed: 1, rps: 5 });
  assert.ok(f.requestsSent > 0);
  assert.equal(f.requestsReported, f.requestsSent, 'the report counts every request sent');
  assert.ok(Number.isFinite(f.lagP50Ms) && f.lagMaxMs >= f.lagP50Ms, `both seconds reached the HDR log (lag p50 ${f.lagP50Ms}, max ${f.lagMaxMs})`);
  assert.ok(f.cpuMsPerSecond > 0 && f.rssMb > 0 && f.peakRssMb >= f.rssMb);
  assert.match(scaleRow(f), /^\| 3 \| 2 \| 2 s at 1× \|.*\| yes \|$/);
});
