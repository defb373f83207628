/**
 * One share of a scenario from start instant to result: wait for the agreed
 * wall-clock start, run the executor on the share's monotonic clock, send
 * one snapshot per second, end the plan on time, give in-flight iterations
 * gracefulStop to finish, then close every connection and timer.
 */
import type { IntervalSnapshot } from '@novaload/report';
import { Alarm, Clock } from './clock.js';
import { ShareData } from './data-source.js';
import { createExecutor } from './executors/registry.js';
import type { Executor } from './executors/types.js';
import { GeneratorMonitor } from './generator.js';
import { Connections } from './http.js';
import { Recorder } from './recorder.js';
import { RequestPlan } from './requests.js';
import { plannedDurationMs } from './scenario.js';
import type { ShareResult, ShareSpec } from './share.js';
import { VuSet } from './vu-set.js';

/**
 * A running share: `done` resolves after the last snapshot; `stop()` ends the
 * plan early, `stop(true)` also skips gracefulStop (what is in flight is
 * interrupted, what completed is still sent).
 */
export interface ShareHandle {
  done: Promise<ShareResult>;
  stop(now?: boolean): void;
}

/**
 * Run one share. No request before `spec.startAt`; snapshots for every
 * second from then until the share ends, the last (partial) one sent
 * before `done` resolves. A share that starts late catches up with the
 * schedule rather than shifting it, so all shares stay on one timeline.
 */
export function startShare(spec: ShareSpec, onSnapshot: (s: IntervalSnapshot) => void): ShareHandle {
  const run = new ShareRun(spec, onSnapshot);
  return { done: run.done, stop: (now) => run.stop(now) };
}

class ShareRun {
  readonly done: Promise<ShareResult>;
  #resolve!: (result: ShareResult) => void;
  #phase: 'waiting' | 'running' | 'ending' | 'done' = 'waiting';
  #stoppedEarly = false;
  #interrupted = 0;
  readonly #clock: Clock;
  readonly #generator = new GeneratorMonitor();
  readonly #recorder: Recorder;
  readonly #connections: Connections;
  readonly #vus: VuSet;
  readonly #executor: Executor;
  readonly #alarms: { start: Alarm; second: Alarm; planEnd: Alarm; grace: Alarm };

  constructor(
    private readonly spec: ShareSpec,
    onSnapshot: (s: IntervalSnapshot) => void,
  ) {
    this.done = new Promise((resolve) => (this.#resolve = resolve));
    const { scenario, share, shares, seed } = spec;
    const clock = (this.#clock = new Clock(spec.startAt));
    const recorder = (this.#recorder = new Recorder(share, onSnapshot, () => this.#executor.activeVus(), this.#generator));
    const plan = new RequestPlan(scenario, recorder);
    this.#connections = new Connections(plan.origin, scenario.http, share, shares);
    const data = scenario.data && spec.rows ? new ShareData(scenario.data, spec.rows, clock, this.#rowsRanOut) : null;
    this.#vus = new VuSet(clock, plan, recorder, this.#connections, this.#drained, data);
    this.#executor = createExecutor(scenario.executor, { clock, vus: this.#vus, recorder, share, shares, seed, finished: this.#countDone });
    this.#alarms = {
      start: new Alarm(clock, this.#begin),
      second: new Alarm(clock, this.#tick),
      planEnd: new Alarm(clock, () => this.#endPlan()),
      grace: new Alarm(clock, this.#graceOver),
    };
    this.#alarms.start.set(0);
  }

  stop(now = false): void {
    if (this.#phase === 'waiting' || this.#phase === 'running') this.#stoppedEarly = true;
    if (this.#phase === 'waiting') this.#finish();
    else if (this.#phase === 'running') this.#endPlan();
    if (now && this.#phase === 'ending') {
      this.#alarms.grace.clear();
      this.#graceOver();
    }
  }

  readonly #begin = (): void => {
    this.#phase = 'running';
    this.#generator.start();
    this.#alarms.second.set(1000);
    this.#alarms.planEnd.set(plannedDurationMs(this.spec.scenario.executor));
    this.#executor.start();
  };

  /** A second boundary: send what completed before it, sleep until the next. */
  readonly #tick = (): void => {
    this.#recorder.advance(this.#clock.now());
    this.#alarms.second.set((this.#recorder.second + 1) * 1000);
  };

  /** No new iterations; finish now if nothing is under way, else when it drains or gracefulStop runs out. */
  #endPlan(): void {
    this.#phase = 'ending';
    this.#alarms.planEnd.clear();
    this.#executor.end();
    if (this.#phase !== 'ending') return;
    if (this.#vus.busy === 0) this.#finish();
    else this.#alarms.grace.set(this.#clock.now() + this.spec.scenario.gracefulStopMs);
  }

  /** Sequential rows with `stop` ran out: this share starts no more iterations; those under way finish (not an error). */
  readonly #rowsRanOut = (): void => {
    if (this.#phase === 'running') this.#endPlan();
  };

  /** An iteration-count executor ran its count: the plan ends before maxDuration. */
  readonly #countDone = (): void => {
    if (this.#phase === 'running') this.#endPlan();
  };

  readonly #drained = (): void => {
    if (this.#phase === 'ending') this.#finish();
  };

  readonly #graceOver = (): void => {
    this.#interrupted = this.#vus.interrupt();
    this.#executor.abort();
    this.#finish();
  };

  #finish(): void {
    const started = this.#phase !== 'waiting';
    this.#phase = 'done';
    for (const alarm of Object.values(this.#alarms)) alarm.clear();
    if (started) this.#recorder.finish(this.#clock.now());
    this.#generator.close();
    const data = this.#vus.data;
    const result: ShareResult = {
      share: this.spec.share,
      lastSeq: this.#recorder.lastSeq,
      interrupted: this.#interrupted,
      stoppedEarly: this.#stoppedEarly,
      ...(data !== null && { data: data.stats() }),
    };
    const resolve = (): void => this.#resolve(result);
    this.#connections.destroy().then(resolve, resolve);
  }
}
