/**
 * Prometheus remote write during a run: every interval, the report so far of
 * each running scenario (RunAggregator.current) becomes one push; at each
 * scenario's end, its final report does. Pushes go one at a time, in order
 * (a receiver refuses samples older than the last it took), each with a
 * timeout, never awaited by the merge: a receiver that is down or slow only
 * fills a bounded buffer, whose oldest push is dropped when full. close()
 * sends what is left within a bounded wait, so the load and the report are
 * never held up by monitoring.
 */
import type { RemoteWriteReport, Report, RunAggregator } from '@novaload/report';
import { encodeWriteRequest, type TimeSeries } from './prometheus-rw-proto.js';
import { histogramSeries, seriesOf } from './prometheus-rw-series.js';
import { NativeLatency } from './prometheus-rw-native.js';
import { Pool, request } from '@novaload/agent/undici-lean';

/** Where and how to push: the merged file settings, flag and tags. */
export interface RemoteWriteConfig {
  url: string;
  intervalMs: number;
  headers: Record<string, string>;
  /** On every series: the file's labels, then --tag (testid …). */
  labels: Record<string, string>;
  /** Latency also as a native histogram (k6_http_req_duration_seconds). */
  nativeHistograms?: boolean;
  /** Pushes kept while the receiver does not take them; older ones are dropped past it. Default 10. */
  bufferPushes?: number;
  /** How long close() waits for the last pushes. Default 2 s. */
  flushMs?: number;
}

/** What the controller's run sees of a live output (run-scenario.ts calls it). */
export interface LiveOutput {
  /** A scenario's load started at `startAt` (second 0); its figures are read from `aggregator` from now on. */
  start(scenario: string, aggregator: RunAggregator, startAt: number): void;
  /** A scenario's final report: its last figures, and the end of its reads. */
  end(scenario: string, report: Report): void;
}

interface Push {
  body: Uint8Array;
  samples: number;
}

/** One remote-write output for one command item (a scenario file, or a run file with its workloads). */
export class RemoteWriter implements LiveOutput {
  readonly #sources = new Map<string, { aggregator: RunAggregator; startAt: number; native?: NativeLatency }>();
  readonly #queue: Push[] = [];
  readonly #timer: NodeJS.Timeout;
  readonly #bound: number;
  #sending: { abort: AbortController; done: Promise<void> } | null = null;
  #closing = false;
  #stopped = false;
  #pushes = 0;
  #samples = 0;
  #dropped = 0;
  #lastError: string | undefined;
  #warned = false;
  /**
   * One connection to the receiver, on undici's Pool as the engine loads it
   * (undici-lean.ts): fetch would load Node's own bundled undici, ~0.2 s of
   * CPU at the start of every run that pushes.
   */
  readonly #pool: InstanceType<typeof Pool>;
  readonly #path: string;
  readonly #headers: Record<string, string>;

  constructor(private readonly config: RemoteWriteConfig, private readonly warn: (line: string) => void = () => {}) {
    this.#bound = config.bufferPushes ?? 10;
    const url = new URL(config.url);
    this.#path = `${url.pathname}${url.search}`;
    const auth: Record<string, string> = url.username || url.password ? { authorization: `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` } : {};
    this.#headers = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0', 'user-agent': 'novaload', ...auth, ...config.headers };
    this.#pool = new Pool(url.origin, { connections: 1 });
    this.#timer = setInterval(() => this.#tick(), config.intervalMs);
    this.#timer.unref();
  }

  start(scenario: string, aggregator: RunAggregator, startAt: number): void {
    const native = this.config.nativeHistograms ? new NativeLatency() : undefined;
    if (native) aggregator.listen(native);
    this.#sources.set(scenario, { aggregator, startAt, ...(native && { native }) });
  }

  end(scenario: string, report: Report): void {
    const native = this.#sources.get(scenario)?.native;
    this.#sources.delete(scenario);
    const now = Date.now();
    this.#enqueue([...seriesOf(report, this.config.labels, now), ...this.#histogram(scenario, native, now)]);
  }

  /** Send what is left, waiting at most flushMs; what did not go counts as dropped. The figures for the report. */
  async close(): Promise<RemoteWriteReport> {
    clearInterval(this.#timer);
    this.#closing = true;
    this.#send();
    const deadline = Date.now() + (this.config.flushMs ?? 2000);
    while (this.#sending && Date.now() < deadline) {
      const left = deadline - Date.now();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([this.#sending.done, new Promise((r) => (timer = setTimeout(r, left)))]);
      clearTimeout(timer);
    }
    this.#stopped = true;
    for (const p of this.#queue.splice(0)) this.#dropped += p.samples;
    this.#sending?.abort.abort(new Error(`not sent within the ${this.config.flushMs ?? 2000} ms the end of the run waits`));
    await this.#sending?.done;
    await this.#pool.destroy();
    return this.stats();
  }

  /** Pushes and samples the receiver accepted, samples given up, and the last failure. */
  stats(): RemoteWriteReport {
    const url = new URL(this.config.url);
    url.username = '';
    url.password = '';
    return { url: url.href, pushes: this.#pushes, samples: this.#samples, dropped: this.#dropped, ...(this.#lastError !== undefined && { lastError: this.#lastError }) };
  }

  /** Each running scenario's figures so far, as one push; then a send of the oldest waiting push (a failed one is retried here). */
  #tick(): void {
    const now = Date.now();
    const series = [...this.#sources.entries()].flatMap(([scenario, { aggregator, startAt, native }]) => [
      ...seriesOf(aggregator.current({ durationMs: Math.max(1, now - startAt), interrupted: false, thresholds: {} }), this.config.labels, now),
      ...this.#histogram(scenario, native, now),
    ]);
    if (series.length > 0) this.#enqueue(series);
    this.#send();
  }

  /** The scenario's latency histogram so far, when native histograms are on and a value arrived. */
  #histogram(scenario: string, native: NativeLatency | undefined, now: number): TimeSeries[] {
    const h = native?.sample(now);
    return h ? [histogramSeries(scenario, this.config.labels, h)] : [];
  }

  #enqueue(series: TimeSeries[]): void {
    this.#queue.push({ body: encodeWriteRequest(series), samples: series.length });
    while (this.#queue.length + (this.#sending ? 1 : 0) > this.#bound && this.#queue.length > 0) this.#dropped += this.#queue.shift()!.samples;
    this.#send();
  }

  /** Send the oldest waiting push unless one is on its way. */
  #send(): void {
    if (this.#sending || this.#stopped || this.#queue.length === 0) return;
    const push = this.#queue.shift()!;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Error(`no answer within ${this.#timeoutMs()} ms`)), this.#timeoutMs());
    const done = this.#post(push, abort.signal).then((retry) => {
      clearTimeout(timer);
      this.#sending = null;
      // A push the receiver could not take now goes back first (in order); while closing there is no later try.
      if (retry && !this.#closing) this.#queue.unshift(push);
      else if (retry) this.#dropped += push.samples;
      if (!retry || this.#closing) this.#send();
    });
    this.#sending = { abort, done };
  }

  /** One POST; true when it may succeed later (network, timeout, 5xx, 429), false when done (sent, or refused for good). */
  async #post(push: Push, signal: AbortSignal): Promise<boolean> {
    try {
      const res = await request.call(this.#pool, { method: 'POST', path: this.#path, body: push.body, signal, headers: this.#headers });
      // The body is read (or released) either way, so the connection can be used again.
      if (res.statusCode >= 200 && res.statusCode < 300) {
        await res.body.dump();
        this.#pushes++;
        this.#samples += push.samples;
        return false;
      }
      const text = (await res.body.text()).trim().slice(0, 200);
      this.#fail(`HTTP ${res.statusCode}${text ? `: ${text}` : ''}`);
      if (res.statusCode === 429 || res.statusCode >= 500) return true;
      this.#dropped += push.samples;
      return false;
    } catch (err) {
      const e = err as { code?: string; message?: string };
      this.#fail(signal.aborted ? String((signal.reason as Error)?.message ?? 'aborted') : (e.code ?? e.message ?? String(err)));
      return true;
    }
  }

  #timeoutMs(): number {
    return Math.min(this.config.intervalMs, 10_000);
  }

  #fail(reason: string): void {
    this.#lastError = reason;
    if (this.#warned) return;
    this.#warned = true;
    this.warn(`novaload: prometheus remote write to ${this.stats().url} failed (${reason}); the load goes on, up to ${this.#bound} pushes wait, older ones are dropped`);
  }
}
