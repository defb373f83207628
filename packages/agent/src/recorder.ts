/**
 * Per-second recording. Completions are filed under the second (from the
 * start) in which they completed, per request name, into HDR histograms in
 * µs; each second is sent as one IntervalSnapshot and the recorders reset,
 * so memory does not grow with duration or request count.
 */
import type { CheckCount, EndpointSnapshot, IntervalSnapshot } from '@novaload/report';
// The histogram module alone: a share thread needs none of the report's renderers.
import { createHistogram, encodeHistogram, recordMicros, type Histogram } from '@novaload/report/histogram';
import { createPhaseHistograms, PHASES, type Phase } from '@novaload/report/timing';
import type { ConnectionPhases } from './connector.js';
import type { GeneratorMonitor } from './generator.js';
import type { CheckCounts } from './journey/checks.js';

/** Recorders run on worker threads: encode without a native zlib handle (see encodeHistogram). */
const WORKER_SAFE = { deflate: false } as const;

/** One request name's counters and histograms for the open second. */
export class EndpointRecorder implements CheckCounts {
  requests = 0;
  ok = 0;
  failed = 0;
  bytes = 0;
  /** Requests of this interval that were sent again after a stale keep-alive failure (resend.ts). */
  resent = 0;
  errors: Record<string, number> = {};
  /** Requests of this interval not sent: a value their templates need was missing. */
  skipped = 0;
  /** Node codes of TLS kinds first seen in this interval, by kind; each kind is sent once per share. */
  #examples: Record<string, string> | null = null;
  readonly #exampled = new Set<string>();
  /** Requests of this interval answered over HTTP/1.1 and over h2 (those without a response in neither); set by the VU. */
  h1 = 0;
  h2 = 0;
  /** CAPTURE_MISSING failures of this interval by the capture's name (they sum to errors.CAPTURE_MISSING). */
  captureMisses: Record<string, number> = {};
  readonly latency: Histogram = createHistogram();
  readonly serviceTime: Histogram = createHistogram();
  readonly ttfb: Histogram = createHistogram();
  /** Connections opened by this interval's requests (counted with the request written first on each). */
  connectionsOpened = 0;
  /** Request phases of the responses; the connection ones only of responses that opened a connection (timing.ts). */
  readonly phases = createPhaseHistograms();
  /** Check names of this request (none without checks), and this interval's passes and fails of each. */
  #checkNames: readonly string[] = [];
  readonly passes: number[] = [];
  readonly fails: number[] = [];

  /** Count the checks named `names` (once, when the requests are prepared). */
  useChecks(names: readonly string[]): void {
    this.#checkNames = names;
    this.passes.length = this.fails.length = 0;
    for (let i = 0; i < names.length; i++) this.passes.push(0), this.fails.push(0);
  }

  /** This interval's check counts by name, zeroed after; undefined when the request has no checks. */
  #takeChecks(): Record<string, CheckCount> | undefined {
    if (this.#checkNames.length === 0) return undefined;
    const out: Record<string, CheckCount> = {};
    this.#checkNames.forEach((name, i) => {
      out[name] = { passes: this.passes[i]!, fails: this.fails[i]! };
      this.passes[i] = this.fails[i] = 0;
    });
    return out;
  }

  /** One CAPTURE_MISSING failure just recorded, by the capture that found nothing. */
  missed(capture: string): void {
    this.captureMisses[capture] = (this.captureMisses[capture] ?? 0) + 1;
  }

  /** The Node code of a failure just recorded under `kind` (after record(): in the same second), kept the first time per kind. */
  example(kind: string, code: string): void {
    if (this.#exampled.has(kind)) return;
    this.#exampled.add(kind);
    (this.#examples ??= {})[kind] = code;
  }

  /** The phase histograms encoded, then emptied. */
  #takePhases(): Record<Phase, string> {
    const out = {} as Record<Phase, string>;
    for (const p of PHASES) {
      out[p] = encodeHistogram(this.phases[p], WORKER_SAFE);
      this.phases[p].reset();
    }
    return out;
  }

  /** This interval's figures; the recorder starts the next interval empty. */
  take(): EndpointSnapshot {
    const snap: EndpointSnapshot = {
      requests: this.requests,
      ok: this.ok,
      failed: this.failed,
      bytes: this.bytes,
      resent: this.resent,
      errors: this.errors,
      latency: encodeHistogram(this.latency, WORKER_SAFE),
      serviceTime: encodeHistogram(this.serviceTime, WORKER_SAFE),
      ttfb: encodeHistogram(this.ttfb, WORKER_SAFE),
      ...(this.skipped > 0 && { skipped: this.skipped }),
      ...(this.h1 + this.h2 > 0 && { protocols: { h1: this.h1, h2: this.h2 } }),
      ...(this.connectionsOpened > 0 && { connectionsOpened: this.connectionsOpened }),
      ...(this.phases.wait.totalCount > 0 && { phases: this.#takePhases() }),
      ...(this.errors.CAPTURE_MISSING !== undefined && { captureMisses: this.captureMisses }),
      ...(this.#examples !== null && { errorExamples: this.#examples }),
    };
    this.#examples = null;
    const checks = this.#takeChecks();
    if (checks !== undefined) snap.checks = checks;
    this.requests = this.ok = this.failed = this.bytes = this.resent = this.skipped = this.h1 = this.h2 = this.connectionsOpened = 0;
    this.errors = {};
    this.captureMisses = {};
    this.latency.reset();
    this.serviceTime.reset();
    this.ttfb.reset();
    return snap;
  }
}

/**
 * The open second of one share and the snapshots before it. Seconds are
 * closed by whichever comes first: the share's boundary timer or a later
 * completion, so a late timer never files a completion in the wrong second.
 */
export class Recorder {
  readonly #endpoints = new Map<string, EndpointRecorder>();
  #second = 0;
  #seq = 0;
  #dropped = 0;
  #iterations = 0;

  constructor(
    private readonly share: number,
    private readonly emit: (s: IntervalSnapshot) => void,
    private readonly activeVus: () => number,
    private readonly generator: GeneratorMonitor,
  ) {}

  /** The recorder of a request name (requests sharing a name share it). */
  endpoint(name: string): EndpointRecorder {
    let ep = this.#endpoints.get(name);
    if (!ep) this.#endpoints.set(name, (ep = new EndpointRecorder()));
    return ep;
  }

  /**
   * One completed request, ok (kind null) or failed. Failed requests are in
   * latency and serviceTime too: the user waited that long for the failure.
   * ttfb only when headers arrived (NaN otherwise). Times in ms.
   */
  record(ep: EndpointRecorder, endMs: number, latencyMs: number, serviceMs: number, ttfbMs: number, bytes: number, kind: string | null): void {
    this.advance(endMs);
    ep.requests++;
    ep.bytes += bytes;
    if (kind === null) ep.ok++;
    else {
      ep.failed++;
      ep.errors[kind] = (ep.errors[kind] ?? 0) + 1;
    }
    recordMicros(ep.latency, latencyMs * 1000);
    recordMicros(ep.serviceTime, serviceMs * 1000);
    if (!Number.isNaN(ttfbMs)) recordMicros(ep.ttfb, ttfbMs * 1000);
  }

  /**
   * The phases of a request just recorded (same second): `opened` is the
   * connection its first hop opened, if it opened one, and `connections`
   * how many it opened in all (redirect hops included); the three times
   * (ms) are NaN when no response arrived, and then only the connections
   * are counted. A reused connection's zeros are not recorded (timing.ts).
   */
  phases(ep: EndpointRecorder, opened: ConnectionPhases | null, connections: number, sendMs: number, waitMs: number, receiveMs: number): void {
    const h = ep.phases;
    ep.connectionsOpened += connections;
    if (Number.isNaN(waitMs)) return;
    if (opened !== null) {
      if (opened.dnsMs > 0) recordMicros(h.dns, opened.dnsMs * 1000);
      recordMicros(h.connect, opened.connectMs * 1000);
      if (opened.tlsMs > 0) recordMicros(h.tlsHandshake, opened.tlsMs * 1000);
    }
    recordMicros(h.send, sendMs * 1000);
    recordMicros(h.wait, waitMs * 1000);
    recordMicros(h.receive, receiveMs * 1000);
  }

  /** A request not sent at `nowMs` (a value it needs is missing). */
  skip(ep: EndpointRecorder, nowMs: number): void {
    this.advance(nowMs);
    ep.skipped++;
  }

  /** Iterations dropped at `nowMs` (open models: no free VU, queue full). */
  drop(nowMs: number, count: number): void {
    this.advance(nowMs);
    this.#dropped += count;
  }

  /** An iteration ended at `nowMs` (its last request answered): counted for totals.iterations. */
  iterationDone(nowMs: number): void {
    this.advance(nowMs);
    this.#iterations++;
  }

  /** Send every second that has ended by `nowMs`. */
  advance(nowMs: number): void {
    const current = Math.floor(nowMs / 1000);
    while (this.#second < current) this.#send();
  }

  /** Send the remaining seconds including the partial one at `nowMs` (nothing before the start). */
  finish(nowMs: number): void {
    if (nowMs < 0) return;
    this.advance(nowMs);
    this.#send();
  }

  /** Sequence number of the last snapshot sent, −1 if none. */
  get lastSeq(): number {
    return this.#seq - 1;
  }

  /** The second the next snapshot covers. */
  get second(): number {
    return this.#second;
  }

  #send(): void {
    const endpoints: Record<string, EndpointSnapshot> = {};
    for (const [name, ep] of this.#endpoints) if (ep.requests > 0 || ep.skipped > 0) endpoints[name] = ep.take();
    const dropped = this.#dropped;
    this.#dropped = 0;
    const iterations = this.#iterations;
    this.#iterations = 0;
    const snapshot: IntervalSnapshot = { share: this.share, seq: this.#seq++, second: this.#second++, vus: this.activeVus(), dropped, iterations, endpoints, generator: this.generator.sample() };
    this.emit(snapshot);
  }
}
