/**
 * The controller's side of measurement: snapshots from every share, merged
 * exactly once and exactly (HDR `add()`, never raw samples), into cumulative
 * per-request tallies and a per-second timeline, and at the end the v1 report.
 */
import { assembleReport, type FinishOptions, type RunMeta } from './assemble.js';
import { mergeInto, type BucketList } from './buckets.js';
import { GeneratorWatch } from './generator.js';
import { createHistogram, type Histogram } from './histogram.js';
import { SecondBucket } from './second.js';
import { SeenSequences } from './seen.js';
import { checkSnapshot, type SnapshotRules } from './snapshot-check.js';
import { RequestTally } from './tally.js';
import type { IntervalSnapshot, Report, TimelinePoint } from './types.js';

/** Figures for a live progress line: the last complete second (-1 before any) and cumulative counts. */
export interface LiveFigures {
  second: number;
  vus: number;
  rps: number;
  p99: number;
  errors: number;
  requests: number;
}

/**
 * Sees each second of the run as it completes, with its merged overall
 * latency histogram, before the aggregator drops that histogram: how an HDR
 * interval log is written and windowed thresholds are judged while memory
 * stays bounded. The histogram is only valid during the call.
 */
export interface SecondListener {
  /** Second `point.t` is complete (seconds come in order); `latency` is its merged overall latency (µs). */
  onSecond(point: TimelinePoint, latency: Histogram): void;
  /** Latency of a second that had already completed (a share reporting late); the totals count it, so a log should too. */
  onLate?(t: number, latency: Histogram): void;
}

/**
 * Merges the snapshots of `shares` shares into one run. A second is complete
 * when every share still running has reported it; it then becomes a timeline
 * point and its histogram is dropped. So memory holds one tally per request
 * name, one small point per second, and histograms only for the few seconds
 * in flight (`pendingSeconds`).
 */
export class RunAggregator {
  readonly #seen = new SeenSequences();
  readonly #byName = new Map<string, RequestTally>();
  readonly #pending = new Map<number, SecondBucket>();
  readonly #timeline = new Map<number, TimelinePoint>();
  readonly #generator = new GeneratorWatch();
  readonly #running: Set<number>;
  readonly #listeners: SecondListener[] = [];
  #requests = 0;
  #failed = 0;
  #dropped = 0;
  #iterations = 0;
  #lastComplete = -1;
  readonly #rules: SnapshotRules;

  /** `lastSecond`: the last second a share may report (plan plus gracefulStop); unbounded by default. */
  constructor(readonly meta: RunMeta, readonly shares: number, lastSecond = Infinity) {
    if (!Number.isInteger(shares) || shares < 1) throw new RangeError(`shares must be a positive integer, got ${shares}`);
    this.#running = new Set(Array.from({ length: shares }, (_, i) => i));
    for (const r of meta.requests) this.#byName.set(r.name, new RequestTally());
    const checks = new Map(meta.requests.filter((r) => (r.checkNames ?? []).length > 0).map((r) => [r.name, new Set(r.checkNames)]));
    this.#rules = { shares, names: new Set(this.#byName.keys()), checks, lastSecond };
  }

  /** Tell `listener` about every second that completes from now on. */
  listen(listener: SecondListener): void {
    this.#listeners.push(listener);
  }

  /**
   * Merge one snapshot; false when its (share, seq) was merged before. Throws
   * a SnapshotError, before merging any of it, on a snapshot that breaks the
   * contract (checkSnapshot); `slackSeconds` widens the last second allowed
   * (a remote agent's clock offset).
   */
  add(snapshot: IntervalSnapshot, slackSeconds = 0): boolean {
    const checked = checkSnapshot(snapshot, this.#rules, slackSeconds);
    if (!this.#seen.firstTime(snapshot.share, snapshot.seq)) return false;
    this.#dropped += snapshot.dropped;
    this.#iterations += snapshot.iterations ?? 0;
    this.#generator.observe(snapshot.generator);
    const latencies: BucketList[] = [];
    let requests = 0;
    let failed = 0;
    for (const { name, ep, decoded } of checked) {
      this.#byName.get(name)!.add(ep, decoded);
      requests += ep.requests;
      failed += ep.failed;
      latencies.push(decoded.latency);
    }
    this.#requests += requests;
    this.#failed += failed;
    const done = this.#timeline.get(snapshot.second);
    if (done) {
      // One more snapshot of a summarised second (a share sent that second twice, or came back after
      // shareEnded/finish): its counts still count there; its latencies reach the totals and onLate listeners.
      this.#timeline.set(done.t, { ...done, requests: done.requests + requests, errors: done.errors + failed, dropped: done.dropped + snapshot.dropped });
      this.#tellLate(done.t, latencies);
      return true;
    }
    let bucket = this.#pending.get(snapshot.second);
    if (!bucket) this.#pending.set(snapshot.second, (bucket = new SecondBucket(snapshot.second)));
    bucket.add(snapshot, latencies);
    this.#completeIfReady(bucket);
    return true;
  }

  /**
   * Stop waiting for a share: it finished (its last snapshot is in) or it was
   * lost. Seconds it has not reported complete with the shares still running,
   * so a lost agent neither stalls the timeline nor piles up histograms.
   */
  shareEnded(share: number): void {
    this.#running.delete(share);
    for (const bucket of [...this.#pending.values()].sort((a, b) => a.t - b.t)) this.#completeIfReady(bucket);
  }

  /** Seconds still waiting for some share: a growing number means a share is behind or gone. */
  get pendingSeconds(): number {
    return this.#pending.size;
  }

  /** Figures for the live progress line. */
  live(): LiveFigures {
    const p = this.#timeline.get(this.#lastComplete);
    return { second: this.#lastComplete, vus: p?.vus ?? 0, rps: p?.requests ?? 0, p99: p?.latency.p99 ?? 0, errors: this.#failed, requests: this.#requests };
  }

  /** The v1 report; seconds that not every share reported are summarised from what arrived. */
  finish(opts: FinishOptions): Report {
    for (const bucket of [...this.#pending.values()].sort((a, b) => a.t - b.t)) this.#complete(bucket);
    return this.current(opts);
  }

  /**
   * The report of the run so far, for a live view (dashboard, remote
   * write): totals, endpoints and thresholds over every snapshot merged so
   * far, the timeline up to the last complete second. Seconds in flight stay
   * pending, so finish() later gives the same report as without this call.
   * It assembles a whole report: once a second, not per snapshot.
   */
  current(opts: FinishOptions): Report {
    const run = { byName: this.#byName, timeline: this.#timeline.values(), dropped: this.#dropped, iterations: this.#iterations, generator: this.#generator.report() };
    return assembleReport(this.meta, run, opts);
  }

  #completeIfReady(bucket: SecondBucket): void {
    for (const share of this.#running) if (!bucket.has(share)) return;
    this.#complete(bucket);
  }

  #complete(bucket: SecondBucket): void {
    const point = bucket.point();
    this.#timeline.set(bucket.t, point);
    this.#pending.delete(bucket.t);
    this.#lastComplete = Math.max(this.#lastComplete, bucket.t);
    for (const l of this.#listeners) l.onSecond(point, bucket.latency);
  }

  #tellLate(t: number, latencies: readonly BucketList[]): void {
    if (!this.#listeners.some((l) => l.onLate)) return;
    const merged = createHistogram();
    for (const h of latencies) mergeInto(merged, h);
    for (const l of this.#listeners) l.onLate?.(t, merged);
  }
}
