/**
 * Cumulative counters and histograms of one request name (or of all names),
 * built by merging snapshots. Histograms merge with `add()`, so the tally's
 * percentiles are those of every sample the shares recorded.
 */
import { mergeInto, type Mergeable } from './buckets.js';
import { createHistogram, latencyStats } from './histogram.js';
import { addPhases, createPhaseHistograms, phasesReport, type Phase } from './timing.js';
import type { MetricData } from './thresholds.js';
import type { CheckCount, EndpointReport, EndpointSnapshot, ProtocolCounts } from './types.js';

/** The histograms of one snapshot (decoded once, as bucket lists) or of one tally. */
export interface DecodedHistograms {
  latency: Mergeable;
  serviceTime: Mergeable;
  ttfb: Mergeable;
  /** With their reused-connection zeros filled in (timing.ts); absent from older agents' snapshots. */
  phases?: Record<Phase, Mergeable>;
}

/** Running totals of one set of requests, readable as threshold data. */
export class RequestTally implements MetricData {
  requests = 0;
  ok = 0;
  failed = 0;
  bytes = 0;
  resent = 0;
  skipped = 0;
  /** Requests answered over HTTP/1.x and over h2. */
  readonly protocols: ProtocolCounts = { h1: 0, h2: 0 };
  connectionsOpened = 0;
  readonly captureMisses: Record<string, number> = {};
  readonly errors: Record<string, number> = {};
  /** The first Node code seen for each TLS error kind (EndpointSnapshot.errorExamples). */
  readonly errorExamples: Record<string, string> = {};
  readonly latency = createHistogram();
  readonly serviceTime = createHistogram();
  readonly ttfb = createHistogram();
  readonly phases = createPhaseHistograms();
  /** Passes and fails by check name (the overall tally's names are those of every request). */
  readonly checks = new Map<string, CheckCount>();
  /** Sums over `checks`: the `checks` threshold's pass rate. */
  checkPasses = 0;
  checkFails = 0;

  /**
   * Merge counts and histograms: an endpoint snapshot with its histograms
   * decoded, or another tally (the overall tally is the sum of the per-name ones).
   */
  add(snap: Pick<EndpointSnapshot, 'requests' | 'ok' | 'failed' | 'bytes' | 'resent' | 'skipped' | 'protocols' | 'captureMisses' | 'errors' | 'errorExamples' | 'connectionsOpened'> & { checks?: ReadonlyMap<string, CheckCount> | Record<string, CheckCount> }, decoded: DecodedHistograms): void {
    this.requests += snap.requests;
    this.resent += snap.resent ?? 0;
    this.skipped += snap.skipped ?? 0;
    this.connectionsOpened += snap.connectionsOpened ?? 0;
    if (snap.protocols !== undefined) {
      this.protocols.h1 += snap.protocols.h1;
      this.protocols.h2 += snap.protocols.h2;
    }
    for (const [name, count] of Object.entries(snap.captureMisses ?? {})) this.captureMisses[name] = (this.captureMisses[name] ?? 0) + count;
    this.ok += snap.ok;
    this.failed += snap.failed;
    this.bytes += snap.bytes;
    for (const [kind, count] of Object.entries(snap.errors)) this.errors[kind] = (this.errors[kind] ?? 0) + count;
    for (const [kind, code] of Object.entries(snap.errorExamples ?? {})) this.errorExamples[kind] ??= code;
    if (snap.checks !== undefined) this.#addChecks(snap.checks instanceof Map ? snap.checks : Object.entries(snap.checks as Record<string, CheckCount>));
    mergeInto(this.latency, decoded.latency);
    mergeInto(this.serviceTime, decoded.serviceTime);
    mergeInto(this.ttfb, decoded.ttfb);
    if (decoded.phases !== undefined) addPhases(this.phases, decoded.phases);
  }

  #addChecks(checks: Iterable<[string, CheckCount]>): void {
    for (const [name, { passes, fails }] of checks) {
      const mine = this.checks.get(name);
      if (mine) {
        mine.passes += passes;
        mine.fails += fails;
      } else this.checks.set(name, { passes, fails });
      this.checkPasses += passes;
      this.checkFails += fails;
    }
  }

  /** The report's view: counters, ms statistics and error kinds (most frequent first). */
  summary(): Pick<EndpointReport, 'totals' | 'latency' | 'serviceTime' | 'ttfb' | 'phases' | 'errors' | 'captureMisses'> {
    const phases = phasesReport(this.phases);
    return {
      totals: { requests: this.requests, ok: this.ok, failed: this.failed, bytesReceived: this.bytes, resent: this.resent, skipped: this.skipped, protocols: { ...this.protocols }, connectionsOpened: this.connectionsOpened },
      ...(Object.keys(this.captureMisses).length > 0 && { captureMisses: { ...this.captureMisses } }),
      latency: latencyStats(this.latency),
      serviceTime: latencyStats(this.serviceTime),
      ttfb: latencyStats(this.ttfb),
      ...(phases && { phases }),
      errors: Object.fromEntries(Object.entries(this.errors).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))),
    };
  }
}
