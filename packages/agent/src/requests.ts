/**
 * Request definitions prepared once per share, so the hot path only reads:
 * the full path, merged headers (with the default User-Agent) and body
 * bytes are built here, and each definition holds its recorder, its
 * ok-status rule, its response checks, its think time and whether it may be resent.
 */
import type { Dispatcher } from 'undici';
import { runScopeOf } from './journey/check-value.js';
import { CompiledChecks } from './journey/checks.js';
import { compileStep, needsStep, type Step } from './journey/step.js';
import type { EndpointRecorder, Recorder } from './recorder.js';
import { mayResend } from './resend.js';
import type { ResolvedScenario, ThinkTime } from './scenario.js';
import { USER_AGENT } from './user-agent.js';

/** Redirects followed when http.maxRedirects is not given: k6's default. */
export const DEFAULT_MAX_REDIRECTS = 10;

/** One request definition, ready to dispatch as often as needed. */
export interface PreparedRequest {
  readonly name: string;
  /** Reused for every dispatch of this definition (undici only reads it). */
  readonly options: Dispatcher.DispatchOptions;
  /** Absolute URL of `options` (origin + path): what the VU's cookie jar and a relative Location are matched against. */
  readonly url: string;
  /** Statuses that count as ok; null means any 2xx. */
  readonly expect: ReadonlySet<number> | null;
  readonly recorder: EndpointRecorder;
  /** Response checks, compiled; null (most requests): the response is neither kept nor parsed. */
  readonly checks: CompiledChecks | null;
  /** Pause after this request in closed models (its own or the scenario's); null for none. */
  readonly think: ThinkTime | null;
  /** Sent once more after a stale keep-alive failure (resend.ts). */
  readonly resend: boolean;
  /** Templates or captures: the VU runs this program around the dispatch. Absent: `options` as they are (today's path). */
  readonly step?: Step;
}

/** Whether a response status counts as ok for this request. */
export function statusOk(req: PreparedRequest, status: number): boolean {
  return req.expect === null ? status >= 200 && status < 300 : req.expect.has(status);
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v;
  return out;
}

/** A think time of zero is none: the VU goes on at once instead of waiting for a timer. */
function thinkOf(think: ThinkTime | null): ThinkTime | null {
  return think !== null && think.maxMs > 0 ? think : null;
}

/**
 * The scenario's requests and how to pick them: flow 'random' picks one by
 * weight per iteration, 'sequence' runs all of them in order.
 */
export class RequestPlan {
  /** Origin of the target, for the dispatchers. */
  readonly origin: string;
  readonly requests: readonly PreparedRequest[];
  readonly sequence: boolean;
  /** Some request has a step: each VU keeps a VuState. */
  readonly journey: boolean;
  /** Captured names of the scenario: the length of each VU's value slots. */
  readonly slotCount: number;
  /** Each VU keeps a cookie jar (http.cookies, default on): responses are scanned for Set-Cookie. */
  readonly cookies: boolean;
  /** Redirects followed per request (http.maxRedirects, default 10); 0: no Location is looked for. */
  readonly maxRedirects: number;
  readonly #cumulative: number[] = [];

  constructor(scenario: ResolvedScenario, recorder: Recorder) {
    const target = new URL(scenario.target);
    this.origin = target.origin;
    const base = target.pathname.replace(/\/+$/, '');
    // The default User-Agent comes first: a scenario's or a request's own, in any case, replaces it.
    const common = { 'user-agent': USER_AGENT, ...lowerKeys(scenario.http.headers) };
    const scope = runScopeOf(scenario);
    this.slotCount = scope.slots.size;
    this.requests = scenario.requests.map((r) => {
      const options: Dispatcher.DispatchOptions = {
        method: r.method,
        path: base + (r.path.startsWith('/') ? r.path : `/${r.path}`),
        // Request headers override scenario headers whatever their case.
        headers: { ...common, ...lowerKeys(r.headers) },
        body: r.body === null ? null : Buffer.from(r.body),
      };
      const checks = r.checks === undefined || r.checks.length === 0 ? null : new CompiledChecks(r.checks, scope);
      const src = { path: options.path, headers: options.headers as Record<string, string>, body: r.body, json: r.json, capture: r.capture };
      return {
        name: r.name,
        options,
        url: this.origin + (options.path as string),
        expect: r.expectStatus === null ? null : new Set(r.expectStatus),
        recorder: recorder.endpoint(r.name),
        checks,
        think: thinkOf(r.thinkTime ?? scenario.thinkTime),
        resend: mayResend(r.method, scenario.http),
        // A request with checks keeps its response too, so it runs as a step (its build reuses the prebuilt options).
        ...((needsStep(src) || checks !== null) && { step: compileStep(src, options, scope, checks) }),
      };
    });
    for (const r of this.requests) if (r.checks !== null) r.recorder.useChecks(r.checks.names);
    this.journey = this.requests.some((r) => r.step !== undefined);
    this.sequence = scenario.flow === 'sequence';
    this.cookies = scenario.http.cookies !== false;
    this.maxRedirects = scenario.http.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    let sum = 0;
    for (const r of scenario.requests) this.#cumulative.push((sum += r.weight));
  }

  /** Index of a request picked by weight for a uniform draw u in [0, 1). */
  pick(u: number): number {
    const cumulative = this.#cumulative;
    const x = u * cumulative[cumulative.length - 1];
    let i = 0;
    while (i < cumulative.length - 1 && x >= cumulative[i]) i++;
    return i;
  }
}
