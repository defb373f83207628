/**
 * Prometheus remote write against fake receivers on loopback, which decode
 * each push with the same libraries (protobufjs, snappyjs): the series, their
 * labels and values, the headers, and what happens when the receiver is
 * down, refuses, or never answers (bounded buffer, counted drops, a bounded
 * end). Then the settings' checks: the file's outputs, --tag, --prometheus-rw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHistogram, encodeHistogram, recordMicros, RunAggregator, type IntervalSnapshot } from '@novaload/report';
import { RemoteWriter } from '../src/live/prometheus-rw.js';
import { decodeWriteRequest, type TimeSeries } from '../src/live/prometheus-rw-proto.js';
import { parseTags } from '../src/commands/tags.js';
import { resolveRunFile, resolveScenario, InputError } from '../src/scenario/index.js';
import { outputsOf } from '../src/scenario/outputs.js';
import { main } from '../src/main.js';

interface Receiver {
  url: string;
  pushes: { headers: IncomingHttpHeaders; series: TimeSeries[] }[];
  /** Resolves once n pushes arrived (bounded by the test's own timeout). */
  waitFor(n: number): Promise<void>;
  close(): Promise<void>;
}

/** A loopback receiver; `answer` decides each response (never calling end: no answer at all). */
async function receiver(answer: (res: ServerResponse) => void = (res) => res.writeHead(204).end()): Promise<Receiver> {
  const pushes: Receiver['pushes'] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      pushes.push({ headers: req.headers, series: decodeWriteRequest(Buffer.concat(chunks)) });
      for (const w of waiters.filter((w) => pushes.length >= w.n)) w.resolve();
      answer(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`;
  return {
    url,
    pushes,
    waitFor: (n) => (pushes.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve }))),
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

/** An aggregator of scenario "shop" with one second merged: 3 ok and 1 HTTP_503 on "home", latencies 1, 2, 3, 40 ms; `before` sees it before the merge. */
function shop(before: (agg: RunAggregator) => void = () => {}): RunAggregator {
  const agg = new RunAggregator({ scenario: 'shop', target: 'http://127.0.0.1:9', executor: 'constant-vus', startedAt: new Date(), requests: [{ name: 'home', method: 'GET', path: '/' }] }, 1);
  const h = createHistogram();
  for (const ms of [1, 2, 3, 40]) recordMicros(h, ms * 1000);
  const hist = encodeHistogram(h);
  const snapshot: IntervalSnapshot = {
    share: 0, seq: 0, second: 0, vus: 2, dropped: 1, iterations: 4,
    endpoints: { home: { requests: 4, ok: 3, failed: 1, bytes: 40, errors: { HTTP_503: 1 }, latency: hist, serviceTime: hist, ttfb: hist } },
    generator: { lagMaxMs: 0, lagMeanMs: 0, utilization: 0, intervalMs: 1000 },
  };
  before(agg);
  agg.add(snapshot);
  agg.shareEnded(0);
  return agg;
}

const finalOf = (agg: RunAggregator) => agg.finish({ durationMs: 1000, interrupted: false, thresholds: {} });

/** The value of the one series named `name` whose labels include `labels`. */
function value(series: TimeSeries[], name: string, labels: Record<string, string> = {}): number | undefined {
  const want = { __name__: name, ...labels };
  const found = series.filter((s) => Object.entries(want).every(([k, v]) => s.labels.some((l) => l.name === k && l.value === v)));
  assert.ok(found.length <= 1, `one series ${JSON.stringify(want)}, found ${found.length}`);
  return found[0]?.samples[0]?.value;
}

test('pushes every interval and at the end: k6 names and labels, values from the report, headers sent', async () => {
  const rx = await receiver();
  const writer = new RemoteWriter({ url: rx.url, intervalMs: 1000, headers: { 'x-scope-orgid': 'team-a' }, labels: { testid: 'rel-1', env: 'ci' } });
  const agg = shop();
  writer.start('shop', agg, Date.now());
  await rx.waitFor(1);
  const report = finalOf(agg);
  writer.end('shop', report);
  const stats = await writer.close();
  assert.equal(rx.pushes.length, 2, 'one interval push, one final push');
  const [live, last] = rx.pushes.map((p) => p.series) as [TimeSeries[], TimeSeries[]];
  const home = { testid: 'rel-1', env: 'ci', scenario: 'shop', name: 'home', method: 'GET' };
  for (const s of [live, last]) {
    assert.equal(value(s, 'k6_http_reqs_total', { ...home, expected_response: 'true' }), 3);
    assert.equal(value(s, 'k6_http_reqs_total', { ...home, expected_response: 'false', status: '503', kind: 'HTTP_503' }), 1);
    assert.equal(value(s, 'k6_http_req_failed_rate', home), 0.25);
  }
  assert.equal(value(last, 'k6_http_req_duration_p99', home), report.endpoints[0]!.latency.p99 / 1000, 'seconds, as k6');
  assert.equal(value(last, 'k6_http_req_duration_max', home), report.endpoints[0]!.latency.max / 1000);
  assert.equal(value(last, 'k6_http_req_duration_med', home), report.endpoints[0]!.latency.p50 / 1000);
  const overall = last.filter((s) => s.labels.some((l) => l.value === 'k6_http_req_duration_p90') && !s.labels.some((l) => l.name === 'name'));
  assert.deepEqual(overall.map((s) => s.samples[0]!.value), [report.latency.p90 / 1000], 'the scenario\'s overall p90, without a name label');
  assert.equal(value(last, 'k6_dropped_iterations_total', { scenario: 'shop' }), 1);
  assert.equal(value(last, 'k6_iterations_total', { scenario: 'shop' }), 4);
  assert.equal(value(last, 'k6_vus', { scenario: 'shop' }), 2);
  assert.equal(value(last, 'k6_data_received_total', { scenario: 'shop' }), 40, 'the name dashboard 19665 reads');
  for (const s of last) assert.deepEqual(s.labels.map((l) => l.name), [...s.labels.map((l) => l.name)].sort(), 'labels sorted by name');
  const headers = rx.pushes[0]!.headers;
  assert.equal(headers['content-encoding'], 'snappy');
  assert.equal(headers['content-type'], 'application/x-protobuf');
  assert.equal(headers['x-prometheus-remote-write-version'], '0.1.0');
  assert.equal(headers['x-scope-orgid'], 'team-a');
  assert.deepEqual(stats, { url: rx.url, pushes: 2, samples: live.length + last.length, dropped: 0 });
  await rx.close();
});

test('--prometheus-rw-native: the scenario\'s latency as a native histogram of schema 8, each value in the bucket just above it', async () => {
  const rx = await receiver();
  const writer = new RemoteWriter({ url: rx.url, intervalMs: 60_000, headers: {}, labels: { testid: 'n' }, nativeHistograms: true });
  const agg = shop((a) => writer.start('shop', a, Date.now()));
  writer.end('shop', finalOf(agg));
  await writer.close();
  await rx.close();
  const h = rx.pushes[0]!.series.find((s) => s.labels.some((l) => l.value === 'k6_http_req_duration_seconds'))!;
  assert.deepEqual(h.labels.map((l) => `${l.name}=${l.value}`), ['__name__=k6_http_req_duration_seconds', 'scenario=shop', 'testid=n']);
  const [native] = h.histograms!;
  assert.deepEqual({ count: native!.countInt, schema: native!.schema, zero: native!.zeroCountInt }, { count: 4, schema: 8, zero: 0 });
  // Spans and deltas back into (bucket index, count): a span starts `offset` buckets after the previous one's end.
  const buckets: [number, number][] = [];
  let next = 0;
  let count = 0;
  let d = 0;
  for (const span of native!.positiveSpans) {
    next += span.offset;
    for (let j = 0; j < span.length; j++) buckets.push([next++, (count += native!.positiveDeltas[d++]!)]);
  }
  assert.deepEqual(buckets.map(([, c]) => c), [1, 1, 1, 1]);
  const uppers = buckets.map(([i]) => 2 ** (i / 256));
  [0.001, 0.002, 0.003, 0.04].forEach((v, k) => assert.ok(uppers[k]! >= v && uppers[k]! < v * 1.004, `${v} s in the bucket up to ${uppers[k]} s`));
});

test('a receiver that never answers: pushes past the buffer are dropped, and close() ends within its bound, counting the rest', async () => {
  const rx = await receiver(() => {});
  const warnings: string[] = [];
  const writer = new RemoteWriter({ url: rx.url, intervalMs: 60_000, headers: {}, labels: {}, bufferPushes: 2, flushMs: 300 }, (l) => warnings.push(l));
  const report = finalOf(shop());
  for (let i = 0; i < 5; i++) writer.end('shop', report);
  await rx.waitFor(1);
  const began = Date.now();
  const stats = await writer.close();
  assert.ok(Date.now() - began < 1500, `close() took ${Date.now() - began} ms`);
  const perPush = rx.pushes[0]!.series.length;
  assert.equal(rx.pushes.length, 1, 'one at a time: the hung push held the rest back');
  assert.deepEqual({ pushes: stats.pushes, samples: stats.samples, dropped: stats.dropped }, { pushes: 0, samples: 0, dropped: 5 * perPush });
  assert.match(stats.lastError ?? '', /not sent within the 300 ms the end of the run waits/);
  assert.equal(warnings.length, 1, 'warned once');
  await rx.close();
});

test('a receiver that is down or refuses: the samples count as dropped, lastError says why, nothing throws', async () => {
  const refusing = await receiver((res) => res.writeHead(400, { 'content-type': 'text/plain' }).end('out of order sample'));
  const writer = new RemoteWriter({ url: refusing.url, intervalMs: 60_000, headers: {}, labels: {} });
  writer.end('shop', finalOf(shop()));
  const refused = await writer.close();
  assert.equal(refused.dropped, refusing.pushes[0]!.series.length);
  assert.equal(refused.lastError, 'HTTP 400: out of order sample');
  const url = refusing.url;
  await refusing.close();
  const down = new RemoteWriter({ url, intervalMs: 60_000, headers: {}, labels: {} });
  down.end('shop', finalOf(shop()));
  down.end('shop', finalOf(shop()));
  const gone = await down.close();
  assert.equal(gone.pushes, 0);
  assert.equal(gone.dropped, 2 * refused.dropped);
  assert.equal(gone.lastError, 'ECONNREFUSED');
});

test('outputs.prometheusRW is checked at its JSON paths; a good one is kept with its defaults', () => {
  const base = { target: 'http://127.0.0.1:9', executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ path: '/' }] };
  const good = resolveScenario({ ...base, outputs: { prometheusRW: { url: 'http://127.0.0.1:9090/api/v1/write', labels: { team: 'a' } } } }, 's.json');
  assert.deepEqual(outputsOf(good).prometheusRW, { url: 'http://127.0.0.1:9090/api/v1/write', intervalMs: 5000, headers: {}, labels: { team: 'a' }, nativeHistograms: false });
  assert.throws(
    () => resolveScenario({ ...base, outputs: { prometheusRW: { url: 'http://127.0.0.1:9090/w', interval: '1500ms', headers: { 'bad header': 'x' }, labels: { '1x': 'y', __name__: 'z' } } } }, 's.json'),
    (err: unknown) => {
      assert.ok(err instanceof InputError);
      const paths = err.problems.map((p) => p.path).sort();
      assert.deepEqual(paths, ['$.outputs.prometheusRW.headers["bad header"]', '$.outputs.prometheusRW.interval', '$.outputs.prometheusRW.labels["1x"]', '$.outputs.prometheusRW.labels.__name__'].sort());
      return true;
    },
  );
  assert.throws(() => resolveScenario({ ...base, outputs: { prometheusRW: { interval: '1s' } } }, 's.json'), (err: unknown) => err instanceof InputError && err.problems.some((p) => p.path.startsWith('$.outputs.prometheusRW')));
});

test('a run file takes outputs at its top, for every workload; an entry with its own outputs is refused at its path', () => {
  const entry = { executor: 'constant-vus', vus: 1, duration: '1s', requests: [{ path: '/' }] };
  const prometheusRW = { url: 'http://127.0.0.1:9090/api/v1/write', interval: '1s' };
  const run = resolveRunFile({ target: 'http://127.0.0.1:9', outputs: { prometheusRW }, scenarios: { api: entry, web: entry } }, 'run.json');
  assert.equal(outputsOf(run).prometheusRW?.intervalMs, 1000);
  assert.throws(
    () => resolveRunFile({ target: 'http://127.0.0.1:9', scenarios: { api: { ...entry, outputs: { prometheusRW } } } }, 'run.json'),
    (err: unknown) => err instanceof InputError && err.problems.some((p) => p.path === '$.scenarios.api.outputs' && /move "outputs" to the top/.test(p.hint ?? '')),
  );
});

test('--tag k=v and --prometheus-rw: malformed values are invalid input (104) naming the flag', async () => {
  assert.deepEqual(parseTags(['testid=rel-1', 'env=a=b', 'testid=rel-2']), { testid: 'rel-2', env: 'a=b' });
  assert.throws(() => parseTags(['testid']), /--tag "testid" is not a tag: write key=value/);
  assert.throws(() => parseTags(['9x=1']), /"9x" cannot be a label name/);
  const io = { out: '', err: '', stdout: { write: (s: string) => void (io.out += s) }, stderr: { write: (s: string) => void (io.err += s) }, env: {}, cwd: process.cwd(), onSignal: () => () => {} };
  assert.equal(await main(['bench', 'http://127.0.0.1:9/', '--prometheus-rw', 'localhost:9090'], io), 104);
  assert.match(io.err, /--prometheus-rw "localhost:9090" is not an http\(s\) URL/);
  assert.equal(await main(['bench', 'http://127.0.0.1:9/', '--tag', 'no-equals'], io), 104);
  assert.match(io.err, /--tag "no-equals" is not a tag/);
});
