/**
 * Statistics are kept per request name, never per URL: 10,000 distinct URLs
 * (query strings) under one name keep one set of histograms all the way
 * from the VU to the merged report. The scenario file format cannot say
 * this (request names must be unique there), so the test builds the
 * resolved scenario the controller would hand a share and runs it in
 * process against a loopback server.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunAggregator, type IntervalSnapshot } from '@novaload/report';
import { startShare } from '../src/run-share.js';
import { countingServer } from './helpers/server.js';
import { scenario } from './helpers/run.js';

const URLS = 10_000;

test('10,000 distinct URLs under one request name: one endpoint in every snapshot and in the report', { timeout: 30_000 }, async () => {
  let allSeen!: () => void;
  const seen = new Promise<void>((resolve) => (allSeen = resolve));
  const server = await countingServer((_a, i) => {
    if (i === URLS - 1) allSeen();
    return {};
  });
  try {
    const requests = Array.from({ length: URLS }, (_, i) => ({ name: 'item', method: 'GET', path: `/items?id=${i}`, headers: {}, body: null, weight: 1, expectStatus: null }));
    const sc = scenario(server.url, { type: 'constant-vus', vus: 1, durationMs: 60_000 }, { flow: 'sequence', requests });
    const snapshots: IntervalSnapshot[] = [];
    const share = startShare({ runId: 'urls', scenario: sc, share: 0, shares: 1, startAt: Date.now() + 50, seed: 1 }, (s) => snapshots.push(s));
    await seen;
    share.stop();
    await share.done;

    assert.equal(new Set(server.arrivals.slice(0, URLS).map((a) => a.path)).size, URLS, 'the server saw 10,000 distinct URLs');
    for (const s of snapshots) assert.ok(Object.keys(s.endpoints).length <= 1, `second ${s.second}: ${Object.keys(s.endpoints).length} endpoints`);
    assert.deepEqual([...new Set(snapshots.flatMap((s) => Object.keys(s.endpoints)))], ['item']);

    const aggregator = new RunAggregator({ scenario: 'urls', target: server.url, executor: 'constant-vus', startedAt: new Date(), requests: sc.requests }, 1);
    for (const s of snapshots) aggregator.add(s);
    aggregator.shareEnded(0);
    const report = aggregator.finish({ durationMs: 1000, interrupted: false, thresholds: {} });
    assert.deepEqual(report.endpoints.map((e) => e.name), ['item']);
    assert.equal(report.endpoints[0].totals.requests, server.arrivals.length);
    assert.equal(report.totals.requests, server.arrivals.length);
  } finally {
    await server.close();
  }
});
