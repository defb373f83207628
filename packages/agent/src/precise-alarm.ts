/**
 * Sub-millisecond timing for arrivals without spinning. Node's timers have
 * 1 ms granularity and fire on a stale loop time, so an arrival fired by
 * setTimeout alone is ~0.5–1 ms late on average, and that lateness counts
 * as latency (open models measure from the schedule). A PreciseAlarm lets
 * a coarse setTimeout bring it to within ~2 ms of its instant, then sleeps
 * the rest in the kernel (Atomics.wait: µs precision, no CPU while asleep).
 * Sleeping blocks the event loop, so it sleeps only while no request of
 * this thread is in flight (nothing can arrive that it would read late).
 * While one is, it waits for the thread to go idle (the last response
 * usually comes long before the instant) with a coarse timer as fallback,
 * never spinning: a slow target costs the old ~1 ms, a fast one nothing.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from './clock.js';

/** Within this of its instant an alarm stops using timers and sleeps (ms). */
const FINE_WINDOW_MS = 2;
/** Sleeps per wake before handing back to the loop: bounds the time a wake can block. */
const MAX_SLEEPS = 16;
const MAX_DELAY = 2 ** 31 - 1;

/** A cell nobody notifies: Atomics.wait on it just times out. */
const cell = new Int32Array(new SharedArrayBuffer(4));

/** Alarms inside their fine window waiting for this thread to have no request in flight. */
const waitingForIdle = new Set<PreciseAlarm>();

/**
 * This thread's requests in flight and time spent asleep, shared by every
 * VU and alarm of the thread (tests run several shares on one thread).
 */
export const threadLoad = {
  /** Requests dispatched and not yet completed, failed or abandoned. */
  inFlight: 0,
  /** Milliseconds spent in precise sleeps, so the generator monitor can count them as idle. */
  sleptMs: 0,
};

/** A request was dispatched. */
export function requestStarted(): void {
  threadLoad.inFlight++;
}

/** A request completed, failed or was abandoned: at the last one, waiting alarms check again. */
export function requestLanded(): void {
  if (--threadLoad.inFlight === 0 && waitingForIdle.size > 0) {
    for (const alarm of waitingForIdle) alarm.idle();
    waitingForIdle.clear();
  }
}

/** Block this thread for `ms` (fractional) without using the CPU. */
function sleep(ms: number): void {
  const t0 = performance.now();
  Atomics.wait(cell, 0, 0, ms);
  threadLoad.sleptMs += performance.now() - t0;
}

/** A one-shot timer for an instant on a Clock, fired within a few µs after it and never before it. */
export class PreciseAlarm {
  readonly #clock: Clock;
  readonly #fire: () => void;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #at = 0;

  constructor(clock: Clock, fire: () => void) {
    this.#clock = clock;
    this.#fire = fire;
  }

  /** Fire once the clock reaches `atMs` (replacing any earlier setting). */
  set(atMs: number): void {
    this.#at = atMs;
    this.clear();
    this.#schedule();
  }

  clear(): void {
    clearTimeout(this.#timer);
    clearImmediate(this.#immediate);
    this.#timer = this.#immediate = undefined;
    waitingForIdle.delete(this);
  }

  /** The thread has no request in flight: check on the next turn (undici may still be inside its response callbacks). */
  idle(): void {
    clearImmediate(this.#immediate);
    this.#immediate = setImmediate(this.#check);
  }

  /**
   * Check again later: by a timer waking about 1 ms before the instant, or
   * inside the fine window on the next turn of the loop (never sleeping
   * right away: undici writes a request on a reused connection from an
   * immediate, which must run first).
   */
  #schedule(): void {
    const left = this.#at - this.#clock.now();
    if (left > FINE_WINDOW_MS) this.#timer = setTimeout(this.#check, Math.min(MAX_DELAY, Math.floor(left) - 1));
    else this.#immediate = setImmediate(this.#check);
  }

  readonly #check = (): void => {
    this.clear();
    for (let sleeps = 0; sleeps < MAX_SLEEPS; sleeps++) {
      const left = this.#at - this.#clock.now();
      if (left <= 0) return this.#fire();
      if (left > FINE_WINDOW_MS) return this.#schedule();
      if (threadLoad.inFlight > 0) {
        // Requests in flight: sleeping could read a response late. Wait for the thread to go idle, or for the timer.
        waitingForIdle.add(this);
        this.#timer = setTimeout(this.#check, Math.ceil(left));
        return;
      }
      sleep(left);
    }
    this.#schedule();
  };
}
