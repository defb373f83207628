/**
 * What the arrival-rate executors share: iterations start on the clock
 * whatever the server does. This share fires global arrivals k ≡ share
 * (mod shares) at their absolute scheduled times. Each wake fires every
 * arrival then due, so lateness never accumulates.
 *
 * The arrival window (scenario `arrivalWindow`, default 2 ms) sets how often
 * the thread wakes: at most once per window, on a plain timer. A wake costs
 * 45–130 µs of CPU on a virtual machine, so waking for each arrival (and
 * again to sleep out the last fraction of a millisecond) was most of the
 * CPU of a fixed-rate run. Window 0 keeps a PreciseAlarm per arrival (µs
 * precision, see precise-alarm.ts).
 *
 * An arrival takes a free VU (up to this share's part of maxVUs), else
 * waits in a bounded FIFO queue, else is dropped. Its latency counts from
 * its scheduled time plus at most one window: the lateness the window
 * itself causes is the generator's choice, not the server's doing, and is
 * not charged; any lateness beyond it — a wait for a free VU behind a slow
 * server, a stalled event loop — is (no coordinated omission).
 */
import type { ArrivalSchedule } from '../arrivals.js';
import { Alarm } from '../clock.js';
import { PreciseAlarm } from '../precise-alarm.js';
import { Rng } from '../rng.js';
import { globalIndex, shareCount } from '../split.js';
import type { Vu, VuOwner } from '../vu.js';
import type { Executor, ExecutorContext } from './types.js';

/** An open-model executor over any global arrival schedule. */
export class OpenModel implements Executor, VuOwner {
  readonly #maxVus: number;
  readonly #idle: Vu[] = [];
  #created = 0;
  /** Ring buffer of the scheduled times of queued arrivals. */
  readonly #queue: Float64Array;
  #head = 0;
  #queued = 0;
  /** Next global arrival index of this share, and its time (Infinity when none is left or the plan ended). */
  #k: number;
  #nextAt = Infinity;
  readonly #alarm: PreciseAlarm | Alarm;
  /** Arrival window, ms (0: precise alarm per arrival). */
  readonly #window: number;
  /** One stream for all VUs: picks follow arrival order, which is deterministic. */
  readonly #rng: Rng;

  constructor(
    private readonly schedule: ArrivalSchedule,
    maxVUs: number,
    maxQueue: number,
    windowMs: number,
    private readonly ctx: ExecutorContext,
  ) {
    this.#maxVus = shareCount(maxVUs, ctx.share, ctx.shares);
    // Without a VU nothing would ever leave the queue, so such a share drops every arrival.
    this.#queue = new Float64Array(this.#maxVus > 0 ? shareCount(maxQueue, ctx.share, ctx.shares) : 0);
    this.#k = ctx.share;
    this.#window = windowMs;
    this.#alarm = windowMs > 0 ? new Alarm(ctx.clock, this.#wake) : new PreciseAlarm(ctx.clock, this.#wake);
    this.#rng = new Rng(ctx.seed, -1);
  }

  start(): void {
    this.#nextAt = this.#k < this.schedule.count ? this.schedule.timeOf(this.#k) : Infinity;
    this.#wake();
  }

  /** Arrivals already due still fire (a late plan-end timer must not lose them); later ones never will. */
  end(): void {
    this.#fireDue(this.ctx.clock.now());
    this.#nextAt = Infinity;
    this.#alarm.clear();
  }

  abort(): void {
    if (this.#queued > 0) this.ctx.recorder.drop(this.ctx.clock.now(), this.#queued);
    this.#queued = 0;
  }

  activeVus(): number {
    return this.#created - this.#idle.length;
  }

  iterationDone(vu: Vu): void {
    if (this.#queued === 0) {
      this.#idle.push(vu);
      vu.park();
      return;
    }
    const at = this.#queue[this.#head]!;
    this.#head = (this.#head + 1) % this.#queue.length;
    this.#queued--;
    if (vu.begin(this.#chargedFrom(at, this.ctx.clock.now()))) return;
    // The data rows ran out: queued arrivals never start (neither dropped nor sent).
    this.#queued = 0;
    this.#idle.push(vu);
    vu.park();
  }

  /** Where an arrival scheduled at `at` and starting `now` counts its latency from: its schedule plus at most one window. */
  #chargedFrom(at: number, now: number): number {
    const allowed = at + this.#window;
    return allowed < now ? allowed : now;
  }

  readonly #wake = (): void => {
    const now = this.ctx.clock.now();
    this.#fireDue(now);
    // The next wake: the next arrival's time, but not sooner than one window after this wake.
    if (this.#nextAt !== Infinity) this.#alarm.set(Math.max(this.#nextAt, now + this.#window));
  };

  #fireDue(now: number): void {
    const { schedule } = this;
    while (this.#nextAt <= now) {
      this.#arrive(this.#nextAt);
      this.#k += this.ctx.shares;
      this.#nextAt = this.#k < schedule.count ? schedule.timeOf(this.#k) : Infinity;
    }
  }

  #arrive(at: number): void {
    // After the data rows ran out (sequential, stop) an arrival is not an iteration: not started, not dropped.
    if (this.ctx.vus.data?.exhausted) return;
    const vu = this.#idle.pop() ?? this.#newVu();
    if (vu !== undefined) {
      if (!vu.begin(this.#chargedFrom(at, this.ctx.clock.now()))) this.#idle.push(vu);
    } else if (this.#queued < this.#queue.length) {
      this.#queue[(this.#head + this.#queued) % this.#queue.length] = at;
      this.#queued++;
    } else this.ctx.recorder.drop(this.ctx.clock.now(), 1);
  }

  #newVu(): Vu | undefined {
    if (this.#created >= this.#maxVus) return undefined;
    const { ctx } = this;
    return ctx.vus.create(globalIndex(this.#created++, ctx.share, ctx.shares), this, this.#rng);
  }
}
