import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHook } from 'node:async_hooks';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { decodeHistogram, recordMicros } from '@novaload/report';
import { EndpointRecorder } from '../src/recorder.js';

// A thread stopped mid-snapshot (controller lost, second Ctrl-C, pool torn
// down) used to abort the whole agent process on Node 20: terminate() landed
// between creating a native zlib handle and initialising it ("close before
// init", node_zlib.cc). Snapshots are now encoded without a native handle.

test('taking a snapshot creates no native zlib handle, and the snapshot decodes exactly', () => {
  const rec = new EndpointRecorder();
  for (let i = 0; i < 500; i++) recordMicros(rec.latency, 1000 + i * 37);
  recordMicros(rec.serviceTime, 900);
  recordMicros(rec.ttfb, 400);
  const created: string[] = [];
  const hook = createHook({ init: (_id, type) => void created.push(type) }).enable();
  let snap;
  try {
    snap = rec.take();
  } finally {
    hook.disable();
  }
  assert.deepEqual(created.filter((t) => t === 'ZLIB'), []);
  assert.equal(decodeHistogram(snap.latency).totalCount, 500);
  assert.equal(decodeHistogram(snap.latency).maxValue >= 1000 + 499 * 37 - 20, true);
  assert.equal(decodeHistogram(snap.ttfb).totalCount, 1);
});

test('terminating a thread while it encodes snapshots never aborts the process', () => {
  const script = fileURLToPath(new URL('./helpers/terminate-loop.js', import.meta.url));
  const r = spawnSync(process.execPath, [script, '60'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.signal, null, `the process died of ${r.signal}; stderr:\n${r.stderr.slice(0, 600)}`);
  assert.equal(r.status, 0, r.stderr.slice(0, 600));
  assert.match(r.stdout, /survived/);
});
