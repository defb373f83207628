/**
 * What a snapshot must satisfy before any of it is merged. Types say a
 * snapshot has numbers; this says they make sense together and fit the run:
 * a buggy share, or an agent that forges or garbles its figures, is refused
 * and named instead of freezing the merge, failing the whole report or
 * putting numbers in it that no request made. The histograms are decoded
 * here, once, and the decoded ones are what the merge adds.
 */
import { decodeHistogram, HistogramError } from './histogram.js';
import type { DecodedHistograms } from './tally.js';
import type { EndpointSnapshot, IntervalSnapshot } from './types.js';

/** A refused snapshot: `problem` says what is wrong in a few words (a close reason), `message` also where. */
export class SnapshotError extends Error {
  readonly code = 'BAD_SNAPSHOT';
  constructor(readonly share: unknown, readonly seq: unknown, readonly problem: string) {
    super(`snapshot of share ${String(share)}, seq ${String(seq)}: ${problem}`);
  }
}

/** What the run allows: its share count, the scenario's request names and the last second a share may report. */
export interface SnapshotRules {
  shares: number;
  names: ReadonlySet<string>;
  /** Plan + gracefulStop, in whole seconds (Infinity: no bound). */
  lastSecond: number;
}

/** One request name of a checked snapshot, with its histograms decoded. */
export interface CheckedEndpoint {
  name: string;
  ep: EndpointSnapshot;
  decoded: DecodedHistograms;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const HISTOGRAMS = ['latency', 'serviceTime', 'ttfb'] as const;

/**
 * Check `s` against itself and the run, and decode its histograms. Throws a
 * SnapshotError for a share outside 0..shares-1; a seq, second, vus, dropped
 * or count that is not an integer in 0..2^53; a second past
 * `rules.lastSecond + slackSeconds`; a request name the scenario does not
 * have; requests ≠ ok + failed or error kinds that do not sum to failed; a
 * histogram that does not decode; latency or serviceTime counts ≠ requests,
 * or ttfb's above it (ttfb is recorded only when headers arrived).
 */
export function checkSnapshot(s: IntervalSnapshot, rules: SnapshotRules, slackSeconds = 0): CheckedEndpoint[] {
  const fail = (problem: string): never => {
    throw new SnapshotError(s.share, s.seq, problem);
  };
  if (!Number.isInteger(s.share) || s.share < 0 || s.share >= rules.shares) fail(`share is not in 0..${rules.shares - 1}`);
  for (const field of ['seq', 'second', 'vus', 'dropped'] as const) if (!isCount(s[field])) fail(`${field} ${s[field]} is not an integer in 0..2^53`);
  const last = rules.lastSecond + Math.ceil(slackSeconds);
  if (s.second > last) fail(`second ${s.second} is past the run (its last second is ${last}: plan plus gracefulStop)`);
  const checked: CheckedEndpoint[] = [];
  for (const [name, ep] of Object.entries(s.endpoints)) {
    if (!rules.names.has(name)) fail(`request "${name}" is not in the scenario`);
    for (const field of ['requests', 'ok', 'failed', 'bytes'] as const) if (!isCount(ep[field])) fail(`"${name}" ${field} ${ep[field]} is not an integer in 0..2^53`);
    let errorSum = 0;
    for (const [kind, count] of Object.entries(ep.errors)) {
      if (!isCount(count)) fail(`"${name}" error ${kind} count ${count} is not an integer in 0..2^53`);
      errorSum += count;
    }
    if (ep.requests !== ep.ok + ep.failed || errorSum !== ep.failed) {
      fail(`"${name}" counts do not add up (requests ${ep.requests}, ok ${ep.ok}, failed ${ep.failed}, errors ${errorSum})`);
    }
    const decoded = {} as DecodedHistograms;
    for (const which of HISTOGRAMS) {
      try {
        decoded[which] = decodeHistogram(ep[which]);
      } catch (err) {
        if (!(err instanceof HistogramError)) throw err;
        fail(`"${name}" ${which} histogram: ${err.message}`);
      }
    }
    for (const which of ['latency', 'serviceTime'] as const) {
      if (decoded[which].totalCount !== ep.requests) fail(`"${name}" requests ${ep.requests} but its ${which} histogram holds ${decoded[which].totalCount}`);
    }
    if (decoded.ttfb.totalCount > ep.requests) fail(`"${name}" requests ${ep.requests} but its ttfb histogram holds ${decoded.ttfb.totalCount}`);
    checked.push({ name, ep, decoded });
  }
  return checked;
}
