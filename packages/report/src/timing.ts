/**
 * Request phases, like k6's http_req_* metrics: where each response's time
 * went, from opening a connection to its last byte. Agents record a
 * connection's phases (dns, connect, tlsHandshake) only for the request
 * that opened one and leave the zeros of reused connections implied (the
 * wait histogram counts every response), so the hot path records three
 * values per request, not six. Decoding puts the zeros back, so every
 * histogram merged, judged or shown counts every response, and p95 means
 * what it says: with 1 new connection in 100, connect.p95 is 0.
 */
import { mergeInto, type BucketList, type Mergeable } from './buckets.js';
import { createHistogram, latencyStats, type Histogram } from './histogram.js';
import { histogramStats } from './stats.js';
import type { LatencyStats } from './types.js';

/** The phases in the order they happen. */
export const PHASES = ['dns', 'connect', 'tlsHandshake', 'send', 'wait', 'receive'] as const;
export type Phase = (typeof PHASES)[number];
/** The phases only a request that opened a connection has; 0 on a reused one. */
export const CONNECTION_PHASES = ['dns', 'connect', 'tlsHandshake'] as const satisfies readonly Phase[];

/** What each phase is, for reports and docs. */
export const PHASE_MEANING: Readonly<Record<Phase, string>> = {
  dns: 'resolving the host name',
  connect: 'opening TCP connections',
  tlsHandshake: 'in TLS handshakes',
  send: 'writing the request',
  wait: 'waiting for the server',
  receive: 'receiving the body',
};

/** The phase histograms of one snapshot or one tally (µs), each counting every response. */
export type PhaseHistograms = Record<Phase, Histogram>;

/** A phase in a report: ms statistics over every response, and its mean's share of the phases' total. */
export interface PhaseStats extends LatencyStats {
  /** Percent (0..100) of the mean response's time, dns through receive, that went to this phase. */
  share: number;
}

/** Every phase's figures. */
export type PhasesReport = Record<Phase, PhaseStats>;

/** Whether `name` is a phase (a threshold metric of its own). */
export function isPhase(name: string): name is Phase {
  return (PHASES as readonly string[]).includes(name);
}

/** Fresh, empty phase histograms. */
export function createPhaseHistograms(): PhaseHistograms {
  return Object.fromEntries(PHASES.map((p) => [p, createHistogram()])) as PhaseHistograms;
}

/**
 * Give the connection phases of decoded snapshot histograms their implied
 * zeros: one per response (the wait count) that opened no connection. A
 * connection phase holding more values than there are responses is refused
 * by the snapshot check before this.
 */
export function fillReusedZeros(h: Record<Phase, BucketList>): void {
  const responses = h.wait.totalCount;
  for (const p of CONNECTION_PHASES) {
    const zeros = responses - h[p].totalCount;
    if (zeros > 0) h[p].addZeros(zeros);
  }
}

/** Add `from` into `into`, phase by phase (exact, as every merge here). */
export function addPhases(into: PhaseHistograms, from: Record<Phase, Mergeable>): void {
  for (const p of PHASES) mergeInto(into[p], from[p]);
}

/** The report's phases: statistics of each and its share of the mean response's phase total; undefined without any response timed. */
export function phasesReport(h: PhaseHistograms): PhasesReport | undefined {
  if (h.wait.totalCount === 0) return undefined;
  const stats = PHASES.map((p) => latencyStats(h[p]));
  // The library's mean, in one pass over the counts (stats.ts) rather than its iterator.
  const means = PHASES.map((p) => histogramStats(h[p], []).mean);
  const total = means.reduce((sum, m) => sum + m, 0);
  return Object.fromEntries(
    PHASES.map((p, i) => [p, { ...stats[i]!, share: total > 0 ? Math.round((means[i]! / total) * 1000) / 10 : 0 }]),
  ) as PhasesReport;
}
