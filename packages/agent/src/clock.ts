/**
 * One monotonic time base per share: performance.now() anchored once to the
 * agreed wall-clock start, so wall-clock jumps cannot stretch or shrink the
 * schedule, and timers that never fire before their target instant.
 */
import { performance } from 'node:perf_hooks';

/**
 * performance.now() minus Date.now(), taken at an instant Date.now() ticks
 * over to the next millisecond, so it is exact to microseconds instead of
 * to Date.now()'s 1 ms: shares on one machine line up to the µs. A tick is
 * bracketed by monotonic reads; the tightest of up to 8 ticks wins (it stops
 * at a bracket of 50 µs), so a preempted read cannot skew it. Spins for 8 ms
 * at most.
 */
function monotonicOffset(): number {
  let best = Infinity;
  let offset = 0;
  let lastBefore = performance.now();
  let lastWall = Date.now();
  // Up to 8 ticks (~8 ms of spinning at worst): on a loaded machine the first few brackets are often preempted,
  // and two shares' anchors then disagreed by ~0.3 ms (seen in CI: an arrival "before" its schedule).
  for (let ticks = 0; ticks < 8 && best > 0.05; ) {
    const before = performance.now();
    const wall = Date.now();
    const after = performance.now();
    if (wall !== lastWall) {
      ticks++;
      // The tick to `wall` happened between the previous wall read (after lastBefore) and this one (before after).
      if (after - lastBefore < best) {
        best = after - lastBefore;
        offset = (lastBefore + after) / 2 - wall;
      }
    }
    lastBefore = before;
    lastWall = wall;
  }
  return offset;
}

/** Milliseconds since the share's start (negative before it). */
export class Clock {
  /** performance.now() at the start instant. */
  readonly anchor: number;

  /** Maps `startAt` (Date.now() epoch ms) onto the monotonic clock, reading the wall clock only here. */
  constructor(startAt: number) {
    this.anchor = startAt + monotonicOffset();
  }

  now(): number {
    return performance.now() - this.anchor;
  }
}

const MAX_DELAY = 2 ** 31 - 1;

/**
 * A re-settable one-shot timer on a Clock. Node timers run on a coarse,
 * possibly stale loop time and can fire up to a millisecond early; an Alarm
 * re-arms until the clock has really reached its target, so "no request
 * before its time" holds. One Timeout per wake, never one per request.
 */
export class Alarm {
  readonly #clock: Clock;
  readonly #fire: () => void;
  #timer: NodeJS.Timeout | undefined;
  #at = 0;

  constructor(clock: Clock, fire: () => void) {
    this.#clock = clock;
    this.#fire = fire;
  }

  /** Fire once the clock reaches `atMs` (replacing any earlier setting). */
  set(atMs: number): void {
    this.#at = atMs;
    this.#arm();
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    clearTimeout(this.#timer);
    const wait = Math.min(MAX_DELAY, Math.max(0, Math.ceil(this.#at - this.#clock.now())));
    this.#timer = setTimeout(this.#check, wait);
  }

  readonly #check = (): void => {
    this.#timer = undefined;
    if (this.#clock.now() < this.#at) this.#arm();
    else this.#fire();
  };
}
