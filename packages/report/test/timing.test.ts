import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  baselineValue,
  createHistogram,
  encodeHistogram,
  evaluateThresholds,
  latencyStats,
  parseThresholdKey,
  PHASES,
  recordMicros,
  renderCsv,
  renderHtml,
  renderJunit,
  renderMarkdown,
  renderText,
  RunAggregator,
  SnapshotError,
  type EndpointSnapshot,
  type Histogram,
  type Phase,
  type Report,
  type ThresholdKey,
} from '../src/index.js';
import { endpoint, META, seeded, snapshot } from './fixtures.js';

const finishOpts = { durationMs: 2000, interrupted: false, thresholds: {} };

/** One response's phases in µs; opened: whether it opened a connection (else dns/connect/tls are 0 and not recorded). */
interface Timed {
  opened: boolean;
  dns: number;
  connect: number;
  tlsHandshake: number;
  send: number;
  wait: number;
  receive: number;
}

/** An endpoint snapshot of `timed` responses as an agent encodes it: connection phases only for those that opened one. */
function timedEndpoint(timed: Timed[], refs?: Record<Phase, Histogram>): EndpointSnapshot {
  const hist = Object.fromEntries(PHASES.map((p) => [p, createHistogram()])) as Record<Phase, Histogram>;
  for (const t of timed) {
    for (const p of PHASES) {
      const connectionPhase = p === 'dns' || p === 'connect' || p === 'tlsHandshake';
      if (refs) refs[p].recordValue(connectionPhase && (!t.opened || t[p] === 0) ? 0 : Math.max(1, t[p]));
      if (connectionPhase && (!t.opened || t[p] === 0)) continue;
      recordMicros(hist[p], t[p]);
    }
  }
  const total = timed.map((t) => t.dns + t.connect + t.tlsHandshake + t.send + t.wait + t.receive);
  return {
    ...endpoint({ latency: total, serviceTime: total, ttfb: timed.map((t) => t.send + t.wait), errors: [] }),
    connectionsOpened: timed.filter((t) => t.opened).length,
    phases: Object.fromEntries(PHASES.map((p) => [p, encodeHistogram(hist[p])])) as Record<Phase, string>,
  };
}

function randomTimed(rand: () => number, n: number): Timed[] {
  return Array.from({ length: n }, () => {
    const opened = rand() < 0.1;
    return { opened, dns: opened && rand() < 0.5 ? 100 + Math.floor(rand() * 900) : 0, connect: 50 + Math.floor(rand() * 500), tlsHandshake: 500 + Math.floor(rand() * 5000), send: 1 + Math.floor(rand() * 30), wait: 1000 + Math.floor(rand() * 40_000), receive: 10 + Math.floor(rand() * 2000) };
  });
}

test('phase histograms merge exactly over shares and seconds, with the zeros of reused connections counted', () => {
  const rand = seeded(13);
  const refs = Object.fromEntries(PHASES.map((p) => [p, createHistogram()])) as Record<Phase, Histogram>;
  const agg = new RunAggregator(META, 2);
  let opened = 0;
  for (const share of [0, 1]) {
    for (const second of [0, 1]) {
      const timed = randomTimed(rand, 200);
      opened += timed.filter((t) => t.opened).length;
      agg.add(snapshot({ share, seq: second, second, endpoints: { 'list-tasks': timedEndpoint(timed, refs) } }));
    }
  }
  const report = agg.finish(finishOpts);
  assert.equal(report.totals.connectionsOpened, opened);
  assert.equal(report.endpoints.find((e) => e.name === 'list-tasks')!.totals.connectionsOpened, opened);
  for (const p of PHASES) {
    const { share, ...stats } = report.phases![p];
    assert.deepEqual(stats, latencyStats(refs[p]), p);
    assert.ok(share >= 0 && share <= 100, `${p} share ${share}`);
  }
  assert.equal(report.phases!.connect.p50, 0, 'one response in ten opened a connection: the median response did not');
  assert.ok(report.phases!.connect.max > 0);
  assert.deepEqual(report.endpoints.find((e) => e.name === 'list-tasks')!.phases, report.phases);
  assert.equal(report.endpoints.find((e) => e.name === 'create-task')!.phases, undefined);
  const shares = PHASES.reduce((sum, p) => sum + report.phases![p].share, 0);
  assert.ok(Math.abs(shares - 100) < 0.5, `shares sum to ${shares}`);
  assert.ok(report.phases!.wait.share > 80, `wait dominates: ${report.phases!.wait.share}%`);
});

test('3 new connections in 100 responses: connect.p95 is 0, p99 and max are the connect time', () => {
  const timed = Array.from({ length: 100 }, (_, i): Timed => ({ opened: i < 3, dns: 0, connect: 5000, tlsHandshake: 20_000, send: 10, wait: 2000, receive: 100 }));
  const agg = new RunAggregator(META, 1);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': timedEndpoint(timed) } }));
  const r = agg.finish({ ...finishOpts, thresholds: { 'connect.p95': '<=0ms', 'connect.p99': '<1ms', 'tlsHandshake.max{request=list-tasks}': '<10ms', 'wait.p50': '<3ms', 'dns.max': '<=0ms', 'receive.p99{request=list-tasks}': '<1ms' } });
  assert.equal(r.phases!.connect.p95, 0);
  assert.ok(Math.abs(r.phases!.connect.p99 - 5) < 0.01, `p99 ${r.phases!.connect.p99}`);
  assert.equal(r.phases!.dns.max, 0, 'an address literal: no lookup');
  // Mean response: 0.15 ms connect + 0.6 ms TLS + 0.01 send + 2 wait + 0.1 receive = 2.86 ms; TLS is 21% of it.
  assert.ok(Math.abs(r.phases!.tlsHandshake.share - 21) < 0.3, `tls share ${r.phases!.tlsHandshake.share}`);
  const byMetric = Object.fromEntries(r.thresholds.map((t) => [t.metric, t]));
  assert.equal(byMetric['connect.p95']!.ok, true);
  assert.equal(byMetric['connect.p99']!.ok, false);
  assert.ok(Math.abs(byMetric['connect.p99']!.value! - 5) < 0.01);
  assert.equal(byMetric['tlsHandshake.max{request=list-tasks}']!.ok, false);
  assert.equal(byMetric['wait.p50']!.ok, true);
  assert.equal(byMetric['dns.max']!.ok, true);
  assert.equal(byMetric['receive.p99{request=list-tasks}']!.ok, true);
  assert.equal(r.verdict, 'fail');
});

test('phase threshold keys parse like latency keys, and a typo is named', () => {
  for (const key of ['dns.p95', 'connect.p99', 'tlsHandshake.p95', 'send.max', 'wait.p50{request=list-tasks}', 'receive.mean']) assert.equal(parseThresholdKey(key).ok, true, key);
  const typo = parseThresholdKey('conect.p99');
  assert.ok(!typo.ok && typo.problem.hint === 'did you mean "connect"?', JSON.stringify(typo));
  const bare = parseThresholdKey('wait');
  assert.ok(!bare.ok && /needs a statistic/.test(bare.problem.message));
});

test('a run without phase data (older agents) has no phases and a phase threshold has no value', () => {
  const agg = new RunAggregator(META, 1);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': endpoint({ latency: [1000], serviceTime: [900], ttfb: [500], errors: [] }) } }));
  const r = agg.finish({ ...finishOpts, thresholds: { 'wait.p95': '<1s' } });
  assert.equal(r.phases, undefined);
  assert.equal(r.totals.connectionsOpened, 0);
  assert.deepEqual([r.thresholds[0]!.value, r.thresholds[0]!.ok], [null, false]);
  assert.doesNotMatch(renderText(r), /Phases/);
});

test('snapshots whose phases do not fit their counts are refused', () => {
  const timed = Array.from({ length: 4 }, (_, i): Timed => ({ opened: i === 0, dns: 0, connect: 300, tlsHandshake: 0, send: 5, wait: 900, receive: 50 }));
  const good = timedEndpoint(timed);
  const refused = (ep: EndpointSnapshot, reason: RegExp): void => {
    const agg = new RunAggregator(META, 1);
    assert.throws(() => agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': ep } })), (e: unknown) => e instanceof SnapshotError && reason.test(e.message));
  };
  const { wait: _wait, ...missing } = good.phases!;
  refused({ ...good, phases: missing as Record<Phase, string> }, /phases are .*not a histogram for each of dns, connect/);
  refused({ ...good, connectionsOpened: 0 }, /connect histogram holds 1, more than .* 0 connections opened/);
  refused({ ...good, phases: { ...good.phases!, wait: timedEndpoint([...timed, ...timed]).phases!.wait } }, /ttfb counts 4 responses but its wait histogram holds 8/);
  refused({ ...good, phases: { ...good.phases!, send: 'bm90IGEgaGlzdG9ncmFt' } }, /send phase histogram/);
  refused({ ...good, connectionsOpened: -1 }, /connectionsOpened -1 is not an integer/);
});

test('every format shows each phase overall and per request with its share, and the connections opened', () => {
  const timed = Array.from({ length: 10 }, (_, i): Timed => ({ opened: i === 0, dns: 0, connect: 400, tlsHandshake: 0, send: 10, wait: 8000, receive: 2000 }));
  const agg = new RunAggregator(META, 1);
  agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': timedEndpoint(timed) } }));
  const r = agg.finish(finishOpts);
  const wait = `${r.phases!.wait.share.toFixed(1)}% waiting for the server`;
  assert.ok(r.phases!.wait.share > 75 && r.phases!.receive.share > 19, JSON.stringify(r.phases));
  const text = renderText(r);
  assert.match(text, new RegExp(`^Phases: ${wait.replace('.', '\\.')}, \\d+\\.\\d% receiving the body$`, 'm'));
  assert.match(text, /^Connections opened: 1 for 10 requests$/m);
  assert.match(text, /^ {2}\(all\)\s+wait\s+8\.\d+ ms\s+8\.\d+ ms\s+8\.\d+ ms\s+\d+\.\d%$/m);
  assert.match(text, /^ {2}list-tasks\s+connect\s+0\.000 ms\s+0\.4\d+ ms\s+0\.4\d+ ms\s+0\.4%$/m);
  const markdown = renderMarkdown(r);
  assert.match(markdown, /### Phases/);
  assert.ok(markdown.includes(wait));
  assert.match(markdown, /\| list-tasks \| receive \| 2\.\d+ ms \|/);
  const html = renderHtml(r);
  assert.match(html, /<h2>Phases<\/h2>/);
  assert.ok(html.includes(wait));
  assert.match(html, /<td>list-tasks<\/td><td>tlsHandshake<\/td>/);
  const junit = renderJunit(r);
  assert.match(junit, /<property name="connectionsOpened" value="1"\/>/);
  assert.match(junit, /<property name="phase\.\(all\)\.wait" value="p50 8\.\d+ ms, p95 8\.\d+ ms, p99 8\.\d+ ms, mean share \d+\.\d%"\/>/);
  const rows = renderCsv(r).summary.trimEnd().split('\n').map((l) => l.split(','));
  const col = (name: string): number => rows[0]!.indexOf(name);
  const all = rows.find((row) => row[0] === '(all)')!;
  assert.equal(Number(all[col('connections_opened')]), 1);
  assert.equal(Number(all[col('wait_share_pct')]), r.phases!.wait.share);
  assert.equal(Number(all[col('connect_p99_ms')]), r.phases!.connect.p99);
  assert.equal(rows.find((row) => row[0] === 'create-task')![col('wait_p50_ms')], '');
});

test('a relative phase threshold is judged against the baseline report\'s phase, overall and per request', () => {
  const reportWith = (waitUs: number, thresholds: Record<string, string> = {}, baseline?: Report) => {
    const timed = Array.from({ length: 20 }, (_, i): Timed => ({ opened: i === 0, dns: 0, connect: 300, tlsHandshake: 0, send: 10, wait: waitUs, receive: 100 }));
    const agg = new RunAggregator(META, 1);
    agg.add(snapshot({ share: 0, seq: 0, second: 0, endpoints: { 'list-tasks': timedEndpoint(timed) } }));
    return agg.finish({ ...finishOpts, thresholds, ...(baseline && { baseline: { file: 'base.json', report: baseline } }) });
  };
  const base = reportWith(10_000);
  assert.equal(baselineValue(parseKey('wait.p50'), base), base.phases!.wait.p50);
  assert.equal(baselineValue(parseKey('connect.max{request=list-tasks}'), base), base.endpoints[0]!.phases!.connect.max);
  assert.equal(baselineValue(parseKey('wait.p50{request=create-task}'), base), null, 'a request without phases');
  const slower = reportWith(12_000, { 'wait.p50': '<+10%', 'wait.p95{request=list-tasks}': '<+30%' }, base);
  assert.deepEqual(slower.thresholds.map((t) => [t.metric, t.ok]), [['wait.p50', false], ['wait.p95{request=list-tasks}', true]]);
  assert.ok(Math.abs(slower.thresholds[0]!.baseline! - base.phases!.wait.p50) < 1e-9);
});

function parseKey(text: string): ThresholdKey {
  const key = parseThresholdKey(text);
  assert.ok(key.ok, text);
  return key.value;
}
