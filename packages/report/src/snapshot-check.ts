/**
 * What a snapshot must satisfy before any of it is merged. Types say a
 * snapshot has numbers; this says they make sense together and fit the run:
 * a buggy share, or an agent that forges or garbles its figures, is refused
 * and named instead of freezing the merge, failing the whole report or
 * putting numbers in it that no request made. The histograms are decoded
 * here, once, and the decoded ones are what the merge adds.
 */
import type { BucketList } from './buckets.js';
import { decodeBuckets, HistogramError } from './histogram.js';
import { CONNECTION_PHASES, fillReusedZeros, PHASES, type Phase } from './timing.js';
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
  /** Check names by request name; a request absent here has no checks. */
  checks?: ReadonlyMap<string, ReadonlySet<string>>;
  /** Plan + gracefulStop, in whole seconds (Infinity: no bound). */
  lastSecond: number;
}

/** One request name of a checked snapshot, with its histograms decoded. */
export interface CheckedEndpoint {
  name: string;
  ep: EndpointSnapshot;
  decoded: DecodedBuckets;
}

/** A snapshot's histograms of one request name, decoded as bucket lists (buckets.ts). */
export interface DecodedBuckets {
  latency: BucketList;
  serviceTime: BucketList;
  ttfb: BucketList;
  phases?: Record<Phase, BucketList>;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const HISTOGRAMS = ['latency', 'serviceTime', 'ttfb'] as const;

/** Error kinds are stable codes (ECONNRESET, HTTP_503, ERR_TLS_…): anything else is not from an agent. */
const ERROR_KIND = /^[A-Z][A-Z0-9_]{0,63}$/;
/** More kinds than any real interval has (each kind is one code a request can end with). */
const MAX_ERROR_KINDS = 256;
/** A capture's "as": a template name (journey/names.ts). */
const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** An hour, in ms: the histograms' range, and past any event-loop lag a live agent reports. */
const HOUR_MS = 3_600_000;

/** The generator's self-measurement: finite, lags in 0..1 h, utilisation a fraction of 0..1. */
function checkGenerator(g: IntervalSnapshot['generator'], fail: (problem: string) => never): void {
  const inRange = (v: number | undefined, max: number): boolean => v === undefined || (Number.isFinite(v) && v >= 0 && v <= max);
  if (!inRange(g.lagMaxMs, HOUR_MS) || !inRange(g.lagMeanMs, HOUR_MS) || !inRange(g.intervalMs, HOUR_MS) || !inRange(g.utilization, 1)) {
    fail(`generator figures out of range (lagMaxMs ${g.lagMaxMs}, lagMeanMs ${g.lagMeanMs}, utilization ${g.utilization}, intervalMs ${g.intervalMs})`);
  }
}

/** A request's check counts: only its own checks, each run at most once per completed request. */
function checkChecks(name: string, ep: EndpointSnapshot, allowed: ReadonlySet<string> | undefined, fail: (problem: string) => never): void {
  for (const [check, count] of Object.entries(ep.checks!)) {
    if (allowed === undefined || !allowed.has(check)) fail(`"${name}" has no check ${JSON.stringify(check.slice(0, 80))}`);
    if (!isCount(count.passes) || !isCount(count.fails)) fail(`"${name}" check ${check}: passes ${count.passes} and fails ${count.fails} are not integers in 0..2^53`);
    if (count.passes + count.fails > ep.requests) fail(`"${name}" check ${check} ran ${count.passes + count.fails} times in ${ep.requests} requests`);
  }
}

/** Capture misses are CAPTURE_MISSING failures by capture name: counts that sum to errors.CAPTURE_MISSING exactly. */
function checkCaptureMisses(name: string, ep: IntervalSnapshot['endpoints'][string], fail: (problem: string) => never): void {
  const misses = Object.entries(ep.captureMisses ?? {});
  if (misses.length > MAX_ERROR_KINDS) fail(`"${name}" names ${misses.length} missed captures, more than ${MAX_ERROR_KINDS}`);
  let sum = 0;
  for (const [capture, count] of misses) {
    if (!CAPTURE_NAME.test(capture)) fail(`"${name}" missed capture ${JSON.stringify(capture.slice(0, 80))} is not a capture name`);
    if (!isCount(count)) fail(`"${name}" missed capture ${capture} count ${count} is not an integer in 0..2^53`);
    sum += count;
  }
  if (sum !== (ep.errors.CAPTURE_MISSING ?? 0)) fail(`"${name}" capture misses sum to ${sum}, but CAPTURE_MISSING is ${ep.errors.CAPTURE_MISSING ?? 0}`);
}

/**
 * Decode a snapshot's phase histograms: each at most one per response
 * (wait counts the responses, at most ttfb's count), the connection ones
 * then filled with their implied zeros.
 */
function decodePhases(name: string, ep: EndpointSnapshot, ttfb: BucketList, fail: (problem: string) => never): Record<Phase, BucketList> {
  const given = ep.phases!;
  const names = Object.keys(given);
  if (names.length !== PHASES.length || !PHASES.every((p) => typeof given[p] === 'string')) {
    fail(`"${name}" phases are ${JSON.stringify(names.slice(0, 8)).slice(0, 120)}, not a histogram for each of ${PHASES.join(', ')}`);
  }
  const decoded = {} as Record<Phase, BucketList>;
  for (const phase of PHASES) {
    try {
      decoded[phase] = decodeBuckets(given[phase]);
    } catch (err) {
      if (!(err instanceof HistogramError)) throw err;
      fail(`"${name}" ${phase} phase histogram: ${err.message}`);
    }
  }
  const responses = decoded.wait.totalCount;
  if (responses > ttfb.totalCount) fail(`"${name}" ttfb counts ${ttfb.totalCount} responses but its wait histogram holds ${responses}`);
  for (const phase of PHASES) {
    const most = (CONNECTION_PHASES as readonly string[]).includes(phase) ? Math.min(responses, ep.connectionsOpened ?? 0) : responses;
    const count = decoded[phase].totalCount;
    if (phase !== 'wait' && count > most) fail(`"${name}" ${phase} histogram holds ${count}, more than its ${responses} timed responses or ${ep.connectionsOpened ?? 0} connections opened allow`);
  }
  fillReusedZeros(decoded);
  return decoded;
}

/**
 * Check `s` against itself and the run, and decode its histograms. Throws a
 * SnapshotError for a share outside 0..shares-1; a seq, second, vus, dropped
 * or count that is not an integer in 0..2^53; a second past
 * `rules.lastSecond + slackSeconds`; a request name the scenario does not
 * have; requests ≠ ok + failed or error kinds that do not sum to failed; a
 * histogram that does not decode; latency or serviceTime counts ≠ requests,
 * or ttfb's above it (ttfb is recorded only when headers arrived); resent
 * past requests; protocols that are not counts or sum past requests; skipped that is not a count; capture misses that do not
 * sum to errors.CAPTURE_MISSING; error kinds that are not codes; generator
 * figures out of range; check counts of a check the request does not have,
 * or whose passes + fails exceed requests; phase histograms that do not
 * decode or count more responses than ttfb (connection phases: more than
 * connections opened); connectionsOpened that is not a count.
 */
export function checkSnapshot(s: IntervalSnapshot, rules: SnapshotRules, slackSeconds = 0): CheckedEndpoint[] {
  const fail = (problem: string): never => {
    throw new SnapshotError(s.share, s.seq, problem);
  };
  if (!Number.isInteger(s.share) || s.share < 0 || s.share >= rules.shares) fail(`share is not in 0..${rules.shares - 1}`);
  for (const field of ['seq', 'second', 'vus', 'dropped'] as const) if (!isCount(s[field])) fail(`${field} ${s[field]} is not an integer in 0..2^53`);
  if (s.iterations !== undefined && !isCount(s.iterations)) fail(`iterations ${s.iterations} is not an integer in 0..2^53`);
  checkGenerator(s.generator, fail);
  const last = rules.lastSecond + Math.ceil(slackSeconds);
  if (s.second > last) fail(`second ${s.second} is past the run (its last second is ${last}: plan plus gracefulStop)`);
  const checked: CheckedEndpoint[] = [];
  for (const [name, ep] of Object.entries(s.endpoints)) {
    if (!rules.names.has(name)) fail(`request "${name}" is not in the scenario`);
    for (const field of ['requests', 'ok', 'failed', 'bytes'] as const) if (!isCount(ep[field])) fail(`"${name}" ${field} ${ep[field]} is not an integer in 0..2^53`);
    if (ep.resent !== undefined && (!isCount(ep.resent) || ep.resent > ep.requests)) fail(`"${name}" resent ${ep.resent} is not an integer in 0..requests (${ep.requests})`);
    if (ep.skipped !== undefined && !isCount(ep.skipped)) fail(`"${name}" skipped ${ep.skipped} is not an integer in 0..2^53`);
    if (ep.protocols !== undefined && (!isCount(ep.protocols.h1) || !isCount(ep.protocols.h2) || ep.protocols.h1 + ep.protocols.h2 > ep.requests)) {
      fail(`"${name}" protocols h1 ${ep.protocols.h1} + h2 ${ep.protocols.h2} are not integers summing to at most requests (${ep.requests})`);
    }
    if (ep.connectionsOpened !== undefined && !isCount(ep.connectionsOpened)) fail(`"${name}" connectionsOpened ${ep.connectionsOpened} is not an integer in 0..2^53`);
    checkCaptureMisses(name, ep, fail);
    let errorSum = 0;
    const kinds = Object.entries(ep.errors);
    if (kinds.length > MAX_ERROR_KINDS) fail(`"${name}" has ${kinds.length} error kinds, more than ${MAX_ERROR_KINDS}`);
    for (const [kind, count] of kinds) {
      if (!ERROR_KIND.test(kind)) fail(`"${name}" error kind ${JSON.stringify(kind.slice(0, 80))} is not a kind (upper case, digits and _, at most 64)`);
      if (!isCount(count)) fail(`"${name}" error ${kind} count ${count} is not an integer in 0..2^53`);
      errorSum += count;
    }
    for (const [kind, code] of Object.entries(ep.errorExamples ?? {})) {
      if (ep.errors[kind] === undefined) fail(`"${name}" has an example for ${JSON.stringify(kind.slice(0, 80))}, not one of its error kinds`);
      if (typeof code !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(code)) fail(`"${name}" example of ${kind} is not a code (letters, digits and _, at most 64)`);
    }
    if (ep.requests !== ep.ok + ep.failed || errorSum !== ep.failed) {
      fail(`"${name}" counts do not add up (requests ${ep.requests}, ok ${ep.ok}, failed ${ep.failed}, errors ${errorSum})`);
    }
    const decoded = {} as DecodedBuckets;
    for (const which of HISTOGRAMS) {
      try {
        // A closed model's service time is its latency (vu.ts): the same text decodes to the same buckets, which the merge only reads.
        decoded[which] = which === 'serviceTime' && ep.serviceTime === ep.latency ? decoded.latency : decodeBuckets(ep[which]);
      } catch (err) {
        if (!(err instanceof HistogramError)) throw err;
        fail(`"${name}" ${which} histogram: ${err.message}`);
      }
    }
    for (const which of ['latency', 'serviceTime'] as const) {
      if (decoded[which].totalCount !== ep.requests) fail(`"${name}" requests ${ep.requests} but its ${which} histogram holds ${decoded[which].totalCount}`);
    }
    if (decoded.ttfb.totalCount > ep.requests) fail(`"${name}" requests ${ep.requests} but its ttfb histogram holds ${decoded.ttfb.totalCount}`);
    if (ep.phases !== undefined) decoded.phases = decodePhases(name, ep, decoded.ttfb, fail);
    if (ep.checks !== undefined) checkChecks(name, ep, rules.checks?.get(name), fail);
    checked.push({ name, ep, decoded });
  }
  return checked;
}
