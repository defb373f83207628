/**
 * The HTTPS rows give novaload the load their peers get: h2 as
 * `connections` × `streams` (h2load -c -m) is a pool of that many
 * connections with that many streams each and a VU per stream; HTTP/1.1
 * keeps a connection per VU; novaload-auto differs only in http.version.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeBenchScenario } from '../lib/journey.js';
import { MEASUREMENTS } from '../lib/plan.js';

test('h2 10 × 10 is 100 VUs over a pool of 10 connections of 10 streams; HTTP/1.1 one connection per VU; auto only changes the version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'novaload-bench-https-'));
  try {
    const settings = { quick: true, rounds: 1, durationS: 2, stallAfterMs: 1000, memory: { smallVus: 1, smallS: 1, bigVus: 1, bigS: 1 } };
    const scenarioOf = (id: string, version?: 'auto') => {
      const load = MEASUREMENTS.find((m) => m.id === id)!.load('https://127.0.0.1:1/', settings, '/ca.pem');
      assert.equal(load.https?.caFile, '/ca.pem');
      return JSON.parse(readFileSync(writeBenchScenario(dir, 'static', version ? { ...load, https: { ...load.https!, version } } : load), 'utf8'));
    };
    const h2 = scenarioOf('h2-10x10');
    assert.deepEqual([h2.vus, h2.http], [100, { version: '2', connections: 10, maxConcurrentStreams: 10 }]);
    const h1 = scenarioOf('https-1');
    assert.deepEqual([h1.vus, h1.http], [50, { version: '1.1' }]);
    assert.deepEqual(scenarioOf('https-auto-h2', 'auto').http, { version: 'auto' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
