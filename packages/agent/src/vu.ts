/**
 * A virtual user: the request loop of one iteration at a time, written as
 * a small state machine that is its own undici dispatch handler, so a
 * request allocates no closures or promises here. Time stamps on the
 * share's monotonic clock give latency (start → last body byte), service
 * time (send → last byte) and ttfb (send → headers), and the request's
 * phases (timing.ts in the report): a new connection's dns, connect and TLS
 * handshake (connector.ts), send (onConnect → onRequestSent), wait (written
 * → headers) and receive (headers → last byte).
 *
 * It implements undici's raw handler methods (onConnect, onHeaders, onData,
 * onComplete, onError) rather than the controller ones (onRequestStart …):
 * for those undici wraps every request in two more objects and parses every
 * response's headers and trailers into strings, which the profile showed
 * as ~8% of the request loop; a VU needs only the status and body length.
 * A request with a journey step (templates, captures, checks) is
 * dispatched through the VU's Collector instead, which keeps what its step
 * reads and hands every event on here.
 */
import type { Dispatcher } from 'undici';
import type { CookieJar } from 'tough-cookie';
import type { Protocols } from './alpn.js';
import { Alarm } from './clock.js';
import { requestLanded, requestStarted } from './precise-alarm.js';
import { isSetCookie, newJar, storeCookie, withCookies } from './cookies.js';
import { errorCode, errorKind } from './errors.js';
import { checkedBody, Collector } from './journey/collector.js';
import { takeConnectionPhases, type ConnectionPhases } from './connector.js';
import { VuState } from './journey/state.js';
import { isLocation, isRedirect, TOO_MANY_REDIRECTS } from './redirects.js';
import { staleKeepAlive } from './resend.js';
import type { Row } from './data-source.js';
import { statusOk, type PreparedRequest } from './requests.js';
import type { Rng } from './rng.js';
import type { VuSet } from './vu-set.js';

/** Whoever hands a VU its iterations (an executor's model); told when one ends. */
export interface VuOwner {
  iterationDone(vu: Vu): void;
}

/** One VU. Closed models iterate while `active`; open models hand it one arrival at a time. */
export class Vu implements Dispatcher.DispatchHandler {
  /** Closed models: start another iteration after this one. */
  active = false;
  /**
   * The data file's row for the current iteration (column → value), set at
   * the iteration's start before its first request is built; null when the
   * scenario has no data file. Templates read it as `data.COLUMN`.
   */
  row: Row | null = null;
  #running = false;
  #stopped = false;
  #inFlight = false;
  #req!: PreparedRequest;
  /** Handler of the current request: the VU itself, or its collector for a request with a step. */
  #handler: Dispatcher.DispatchHandler = this;
  /** Journey scenarios only (templates or captures): the VU's values, and the handler that keeps what captures read. */
  readonly #state: VuState | null;
  readonly #collector: Collector | null;
  #iterations = 0;
  /** Index of the next request of a sequence; past the end once the iteration's last request is sent. */
  #next = 0;
  /** Scheduled start of an open-model iteration's first request, else NaN. */
  #scheduledAt = NaN;
  #startedAt = 0;
  #sentAt = NaN;
  /** When undici had written the request (onRequestSent), NaN before. */
  #writtenAt = NaN;
  /** The connection this request's first hop opened (on its resend too), else null; and how many its hops opened in all. */
  #opened: ConnectionPhases | null = null;
  #connections = 0;
  /** When the VU's own connection last (re)connected: a request that waited for it counts the connect. */
  #connectedAt = -Infinity;
  #headersAt = NaN;
  #status = 0;
  /** The response came over h2 (its headers' connection spoke h2); counted in the recorder's protocols when headers arrived. */
  #h2 = false;
  #bytes = 0;
  #thinking = false;
  /** The last response completed, so this request may go out on a kept-alive connection the server is closing: one resend allowed (resend.ts). */
  #reuse = false;
  /** This request was sent again after a stale keep-alive failure: counted as resent when its outcome is recorded. */
  #resent = false;
  readonly #thinkAlarm: Alarm;
  /** This VU's cookies; null until a response sets one (cookies.ts). */
  #jar: CookieJar | null = null;
  /** The hop in flight: its URL, its options without the jar's cookies, what was sent, and through which dispatcher. */
  #url = '';
  #bare!: Dispatcher.DispatchOptions;
  #options!: Dispatcher.DispatchOptions;
  #via!: Dispatcher;
  /** Redirects followed so far by this request, and the Location of the hop in flight when it is one to follow. */
  #hops = 0;
  #location: string | null = null;

  constructor(
    /** Global VU index (k mod shares = this share). */
    readonly index: number,
    private readonly set: VuSet,
    private readonly owner: VuOwner,
    private readonly dispatcher: Dispatcher,
    /** Open connections of `dispatcher` by protocol: which one a response came over. */
    private readonly protocols: Protocols,
    private readonly rng: Rng,
    /** `dispatcher` is this VU's alone, one request at a time (Connections.ownConnection). */
    private readonly ownConnection = false,
  ) {
    this.#thinkAlarm = new Alarm(set.clock, this.#thought);
    const journey = set.plan.journey;
    this.#state = journey ? new VuState(index + 1, set.plan.slotCount, rng) : null;
    this.#collector = journey ? new Collector(this) : null;
    if (ownConnection) dispatcher.on('connect', () => void (this.#connectedAt = set.clock.now()));
  }

  /** Whether an iteration is under way (including its think time). */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Start an iteration. `scheduledAt` is an arrival's scheduled time (open
   * models), NaN for closed ones. False when the data rows ran out
   * (sequential, stop): nothing started and the VU is as it was.
   */
  begin(scheduledAt: number): boolean {
    const data = this.set.data;
    if (data !== null) {
      const row = data.take(this.index, this.row, this.rng);
      if (row === null) return false;
      this.row = row;
      if (this.#state !== null) this.#state.row = row;
    }
    if (!this.#running) {
      this.#running = true;
      this.set.busy++;
    }
    this.#scheduledAt = scheduledAt;
    if (this.#state !== null) this.#state.iteration = this.#iterations++;
    const plan = this.set.plan;
    const first = plan.sequence ? 0 : plan.pick(this.rng.next());
    this.#next = plan.sequence ? 1 : plan.requests.length;
    this.#send(plan.requests[first]);
    return true;
  }

  /** Called by the owner when it has no further iteration for this VU. */
  park(): void {
    this.#running = false;
    this.set.parked();
  }

  /** Closed models: finish the current iteration, then stop; think time is cut short. */
  retire(): void {
    this.active = false;
    if (this.#thinking) {
      this.#thinkAlarm.clear();
      this.#thought();
    }
  }

  /** gracefulStop ran out: ignore whatever arrives from now on. True when a request was in flight. */
  stop(): boolean {
    const inFlight = this.#inFlight;
    this.#stopped = true;
    this.#thinkAlarm.clear();
    this.#landed();
    return inFlight;
  }

  #send(req: PreparedRequest): void {
    this.#req = req;
    let url = req.url;
    let options = req.options;
    if (req.step === undefined) this.#handler = this;
    else {
      const built = req.step.build(this.#state!);
      if (built === null) {
        this.#skip(req);
        return;
      }
      if (built.path !== options.path) url = this.set.plan.origin + built.path;
      options = built;
      this.#handler = this.#collector!.reset(req.step);
    }
    this.#sentAt = this.#writtenAt = this.#headersAt = NaN;
    this.#opened = null;
    this.#connections = 0;
    this.#status = this.#bytes = 0;
    this.#inFlight = true;
    this.#hops = 0;
    requestStarted();
    this.#startedAt = this.set.clock.now();
    this.#dispatch(url, options, this.dispatcher);
  }

  /**
   * A value the request needs is missing (a capture found nothing, or its
   * response failed): it is not sent, but counted as skipped; the VU goes on
   * on the next turn (think time included), so a journey that skips
   * everything never spins inside one turn of the loop.
   */
  #skip(req: PreparedRequest): void {
    this.set.recorder.skip(req.recorder, this.set.clock.now());
    setImmediate(this.#proceed);
  }

  /** Send one hop, with the jar's cookies for its URL when the jar holds any. */
  #dispatch(url: string, options: Dispatcher.DispatchOptions, via: Dispatcher): void {
    this.#url = url;
    this.#bare = options;
    this.#options = this.#jar === null ? options : withCookies(options, this.#jar, url);
    this.#via = via;
    this.#location = null;
    via.dispatch(this.#options, this.#handler);
  }

  /** The request is no longer in flight (completed, failed or abandoned at stop). */
  #landed(): void {
    if (!this.#inFlight) return;
    this.#inFlight = false;
    requestLanded();
  }

  /** undici is about to write the request (again, after a retried pipeline head): the send time. */
  onConnect(): void {
    // Non-null only for the first request written on a connection just opened (connector.ts).
    const opened = takeConnectionPhases();
    if (opened !== null) {
      this.#connections++;
      if (this.#hops === 0) this.#opened = opened;
    }
    // A redirect chain is one request, served from its first send.
    if (this.#hops === 0) this.#sentAt = this.set.clock.now();
  }

  /** undici has written the request (headers and body): the end of its send phase. */
  onRequestSent(): void {
    if (this.#hops === 0) this.#writtenAt = this.set.clock.now();
  }

  /**
   * Called again after a 1xx (not 100) response: ttfb keeps the first bytes,
   * the status is the final one. The protocol is the open connections' of the
   * hop's dispatcher (alpn.ts): two field reads, nothing allocated.
   */
  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    if (Number.isNaN(this.#headersAt)) this.#headersAt = this.set.clock.now();
    this.#status = statusCode;
    this.#h2 = (this.#via === this.dispatcher ? this.protocols : this.set.redirects.protocols).isH2(statusText);
    const plan = this.set.plan;
    const follow = plan.maxRedirects > 0 && isRedirect(statusCode);
    if (plan.cookies || follow) this.#scan(rawHeaders, plan.cookies, follow);
    return true;
  }

  /** Store the response's cookies in the jar, and note its Location when it is a redirect to follow. */
  #scan(raw: Buffer[], cookies: boolean, follow: boolean): void {
    for (let i = 0; i < raw.length; i += 2) {
      const name = raw[i]!;
      if (cookies && isSetCookie(name)) storeCookie((this.#jar ??= newJar()), raw[i + 1]!, this.#url);
      else if (follow && isLocation(name)) this.#location = raw[i + 1]!.toString('latin1');
    }
  }

  onData(chunk: Buffer): boolean {
    this.#bytes += chunk.length;
    return true;
  }

  onComplete(): void {
    this.#reuse = true;
    if (this.#location !== null && !this.#stopped) this.#redirect(this.#location);
    else if (this.#record(null)) this.#proceed();
  }

  /** The response was a redirect: send the next hop, or record why not (the chain is one request). */
  #redirect(location: string): void {
    const hop = this.#hops < this.set.plan.maxRedirects ? this.set.redirects.next(this.#status, location, this.#url, this.#bare) : TOO_MANY_REDIRECTS;
    if (typeof hop === 'string') {
      if (this.#record(null, hop)) this.#proceed();
      return;
    }
    this.#hops++;
    this.#status = 0;
    this.#dispatch(hop.url, hop.options, hop.dispatcher ?? this.dispatcher);
  }

  /**
   * The next request waits for the next turn: undici may still be failing
   * its queue (or be inside dispatch()), and dispatching into it now trips
   * its internal assertions or recurses through a failing loop.
   */
  onError(err: Error): void {
    if (this.#reuse && this.#req.resend && !this.#stopped && Number.isNaN(this.#headersAt) && staleKeepAlive(err)) {
      this.#reuse = false;
      this.#resent = true;
      setImmediate(this.#resend);
      return;
    }
    this.#reuse = false;
    if (this.#record(err)) setImmediate(this.#proceed);
  }

  /** The same request once more, on a new connection (stale keep-alive); its latency still counts from the first attempt. */
  readonly #resend = (): void => {
    if (this.#stopped) return;
    this.#sentAt = this.#writtenAt = NaN;
    this.#via.dispatch(this.#options, this.#handler);
  };

  /** Record the request's outcome (`refused`: the kind of a redirect not followed); false when the VU was stopped and the outcome is not counted. */
  #record(err: Error | null, refused: string | null = null): boolean {
    if (this.#stopped) return false;
    this.#landed();
    const now = this.set.clock.now();
    const req = this.#req;
    const sent = Number.isNaN(this.#sentAt) ? this.#startedAt : this.#sentAt;
    // Open models measure from the schedule (no coordinated omission); a sequence's later requests from their start.
    // On a VU's own idle keep-alive connection nothing can delay the write but undici's own scheduling (a loop
    // turn or two, ~0.2 ms on a slow VM), which is the generator's, not the server's: latency counts from the
    // write, like wrk and autocannon. A request that had to (re)connect first counts the connect.
    const start = !Number.isNaN(this.#scheduledAt)
      ? this.#scheduledAt
      : this.ownConnection && this.#connectedAt < this.#startedAt
        ? sent
        : this.#startedAt;
    let kind = err !== null ? errorKind(err) : refused !== null ? refused : statusOk(req, this.#status) ? null : `HTTP_${this.#status}`;
    let missed: string | null = null;
    if (req.step !== undefined) {
      const res = err === null && refused === null ? this.#collector!.response() : null;
      // Checks judge every response that arrived, whatever its status. The kind is the status's, else the
      // first failing check's (the user's own word on the response), else a missing capture's.
      if (req.checks !== null && res !== null) {
        this.set.recorder.advance(now);
        // The VU's state is what a template in a check value reads (journey/check-value.ts).
        const failed = req.checks.evaluate(checkedBody(res, req.checks.needsHeaders), this.#state!, req.recorder);
        kind ??= failed;
      }
      const captured = req.step.after(this.#state!, kind === null || kind.startsWith('CHECK_') ? res : null);
      kind ??= captured;
      // Named only when it is the response's kind: capture misses sum to its CAPTURE_MISSING count.
      if (kind === 'CAPTURE_MISSING') missed = this.#state!.missed;
    }
    const recorder = this.set.recorder;
    recorder.record(req.recorder, now, now - start, now - sent, this.#headersAt - sent, this.#bytes, kind);
    // A request that got a response counts under the protocol it came over; one that got none (refused, reset, timed out) under neither.
    if (this.#status !== 0) {
      if (this.#h2) req.recorder.h2++;
      else req.recorder.h1++;
    }
    const written = Number.isNaN(this.#writtenAt) ? sent : this.#writtenAt;
    recorder.phases(req.recorder, this.#opened, this.#connections, written - sent, this.#headersAt - written, now - this.#headersAt);
    // After record(): in the same second as the CAPTURE_MISSING it names.
    if (missed !== null) req.recorder.missed(missed);
    // The Node code behind a TLS kind, once per share: the report's errorExamples.
    if (err !== null && kind !== null && kind.startsWith('TLS_')) req.recorder.example(kind, errorCode(err) ?? kind);
    if (this.#resent) {
      // In the same second as the request's outcome, so a snapshot's resent never exceeds its requests.
      req.recorder.resent++;
      this.#resent = false;
    }
    this.#scheduledAt = NaN;
    return true;
  }


  /**
   * After a response: think (closed models, while active; open models never
   * set `active`) for the request's think time, then the next request or the
   * end of the iteration.
   */
  readonly #proceed = (): void => {
    if (this.#stopped) return;
    const think = this.#req.think;
    if (think !== null && this.active) {
      this.#thinking = true;
      this.#thinkAlarm.set(this.set.clock.now() + think.minMs + this.rng.next() * (think.maxMs - think.minMs));
    } else this.#continue();
  };

  readonly #thought = (): void => {
    this.#thinking = false;
    this.#continue();
  };

  #continue(): void {
    const plan = this.set.plan;
    if (this.#next < plan.requests.length) this.#send(plan.requests[this.#next++]);
    else {
      this.set.recorder.iterationDone(this.set.clock.now());
      this.owner.iterationDone(this);
    }
  }
}
