/**
 * A worker thread that does nothing but take snapshots of a busy recorder,
 * as a share's thread does every second, so that a terminate() lands in the
 * middle of encoding. Bounded: it stops by itself after 10 s.
 */
import { parentPort } from 'node:worker_threads';
import { recordMicros } from '@novaload/report';
import { EndpointRecorder } from '../../src/recorder.js';

const rec = new EndpointRecorder();
parentPort?.postMessage('up');
const until = Date.now() + 10_000;
for (let i = 0; Date.now() < until; i++) {
  for (let k = 0; k < 3; k++) recordMicros(rec.latency, 1000 + ((i * 31 + k * 97) % 50_000));
  rec.take();
}
