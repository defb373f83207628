/**
 * Shares on remote agents. Each agent takes a block of global shares, one
 * per thread (dealt round-robin, so agents with more threads carry more),
 * and runs them exactly as local threads would. Everyone starts at one
 * instant of the controller's clock, translated by each agent's measured
 * offset. A lost agent keeps what it sent; the run goes on with the others.
 */
import type { AgentReport, IntervalSnapshot, ShareFailure } from '@novaload/report';
import { specFor, wallNow, type AgentMessage, type ResolvedScenario, type ShareResult, type ShareRows } from '@novaload/agent';
import { CliError, EXIT } from '../exit-codes.js';
import { interruptedBeforeStart, type RunHandle, type RunOutcome, type RunPlan, type RunSink, type ShareRunner } from '../run/runner.js';
import { unlessAborted, type SharedStart } from '../run/start-clock.js';
import type { AgentLink } from './agent-link.js';
import { CLOCK_SYNC_TIMEOUT_MS, Deadline, READY_TIMEOUT_MS, runDeadline, stopDeadline } from './deadlines.js';

/** Deal `shares` global shares to agents, one per thread per round. */
export function dealShares(threads: number[], shares: number): number[][] {
  const out = threads.map(() => [] as number[]);
  for (let share = 0, round = 0; share < shares; round++) {
    for (let a = 0; a < threads.length && share < shares; a++) if (round < threads[a]!) out[a]!.push(share++);
  }
  return out;
}

/**
 * The scenario a plan carries and, with a data file, the rows of each of
 * the agent's shares (cut as for local threads): an agent is sent its own
 * rows only, never the whole file.
 */
export function planScenario(plan: RunPlan, shares: readonly number[]): { scenario: ResolvedScenario; rows?: ShareRows[] } {
  if (plan.scenario.data === undefined) return { scenario: plan.scenario };
  const specs = shares.map((share) => specFor(plan, share, 0));
  return { scenario: specs[0]!.scenario, rows: specs.map((s) => s.rows!) };
}

export class RemoteRunner implements ShareRunner {
  constructor(
    private readonly links: AgentLink[],
    private readonly log: (line: string) => void,
    private readonly shutdown: () => Promise<void>,
  ) {}

  /** Agents still connected. */
  get live(): AgentLink[] {
    return this.links.filter((l) => l.gone === null);
  }

  get capacity(): number {
    return this.live.reduce((sum, l) => sum + l.threads, 0);
  }

  /**
   * Plan, sync clocks, start. Before the start, a lost or deaf agent is exit
   * 107 and an abort 105, with no request sent; after it, every agent owes
   * its end of run by a deadline (deadlines.ts) or is marked lost. A run
   * file's workloads (`shared`) are each planned, then started together:
   * one clock sync once all are planned, each its startTime after the
   * common second 0.
   */
  async start(plan: RunPlan, sink: RunSink, signal?: AbortSignal, shared?: SharedStart): Promise<RunHandle> {
    const links = this.live;
    if (links.length === 0) throw new CliError('every agent was lost; nothing left to run on', EXIT.degraded);
    const blocks = dealShares(links.map((l) => l.threads), plan.shares);
    const runs = links.map((link, i) => new AgentRun(link, i, blocks[i]!, plan.runId, sink, this.log));
    const interrupted = (): CliError => interruptedBeforeStart(signal);
    let startAt: number;
    try {
      await unlessAborted(Promise.all(runs.filter((r) => r.shares.length > 0).map((r) => r.plan(plan))), signal, interrupted);
      const prepare = (): Promise<number> => this.#prepare();
      startAt = shared ? (await unlessAborted(shared.clock.arrive(prepare), signal, interrupted)) + shared.offsetMs : await unlessAborted(prepare(), signal, interrupted);
    } catch (err) {
      // Agents forget a plan that will not start (with several runs in flight, it would hold their room).
      runs.forEach((r) => r.abandon());
      throw err;
    }
    this.log(`run ${plan.runId.slice(0, 8)}: ${runs.length} agent(s) start at ${startAt.toFixed(3)} (${new Date(startAt).toISOString()}, in ${(startAt - wallNow()).toFixed(0)} ms)`);
    for (const r of runs) r.start(startAt);
    const deadline = new Deadline(runDeadline(startAt, plan.scenario), (why) => runs.forEach((r) => r.expire(why)));
    const finished = Promise.all(runs.map((r) => r.finished)).then((agents): RunOutcome => {
      deadline.clear();
      return { agents, lost: agents.filter((a) => a.status === 'lost').length, failures: runs.flatMap((r) => r.failures), results: runs.flatMap((r) => r.results) };
    });
    const stop = (now = false): void => {
      runs.forEach((r) => r.stop(now));
      deadline.bringForward(stopDeadline(plan.scenario, now));
    };
    return { startAt, stop, finished };
  }

  /** Sync every live agent's clock, then second 0: far enough ahead for the start message to reach the slowest. */
  async #prepare(): Promise<number> {
    const links = this.live;
    await syncClocks(links);
    const lead = Math.max(300, 2 * Math.max(...links.map((l) => l.rttMs)) + 100);
    return wallNow() + lead;
  }

  /** The command is over: tell every agent (agents started with --once leave), stop listening. */
  async close(): Promise<void> {
    for (const l of this.live) {
      l.send({ v: 1, type: 'leave', reason: 'run complete' });
      l.close('run complete');
    }
    await this.shutdown();
  }
}

/** Measure every agent's clock; one that does not answer in time is dropped, and any agent gone by then is exit 107. */
async function syncClocks(links: AgentLink[]): Promise<void> {
  const answered = await Promise.all(links.map((l) => l.measureClock(CLOCK_SYNC_TIMEOUT_MS)));
  links.forEach((l, i) => {
    if (!answered[i] && l.gone === null) l.drop(`no answer to the clock-sync pings within ${CLOCK_SYNC_TIMEOUT_MS / 1000} s`);
  });
  const lost = links.find((l) => l.gone !== null);
  if (lost) throw new CliError(`agent ${lost.label} was lost during the clock sync, before the start: ${lost.gone}; no request was sent`, EXIT.couldNotStart);
}

/** One agent's part in one run. */
class AgentRun {
  readonly finished: Promise<AgentReport>;
  #resolve!: (r: AgentReport) => void;
  /** When second 0 begins; null until start(), so a loss before it is not timed against nothing. */
  #startAt: number | null = null;
  #requests = 0;
  #settled = false;
  /** Shares that crashed on this agent, with the agent's own error message. */
  readonly failures: ShareFailure[] = [];
  /** What this agent's shares handed back in its `done` (only shares it owns). */
  readonly results: ShareResult[] = [];

  constructor(
    private readonly link: AgentLink,
    private readonly index: number,
    readonly shares: number[],
    private readonly runId: string,
    private readonly sink: RunSink,
    private readonly log: (line: string) => void,
  ) {
    this.finished = new Promise((resolve) => (this.#resolve = resolve));
    if (shares.length === 0) this.#settle('ok');
  }

  plan(plan: RunPlan): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new CliError(`agent ${this.link.label} did not confirm the plan within ${READY_TIMEOUT_MS / 1000} s`, EXIT.couldNotStart)), READY_TIMEOUT_MS);
      this.link.runs.set(this.runId, {
        message: (msg) => {
          if (msg.type === 'ready' && msg.runId === this.runId) {
            clearTimeout(timer);
            this.link.runs.set(this.runId, { message: (m) => this.#message(m), lost: (why) => this.#lost(why) });
            resolve();
          } else if (msg.type === 'error') {
            clearTimeout(timer);
            reject(new CliError(`agent ${this.link.label} refused the plan: ${msg.message}`, msg.code === 'TARGET_NOT_ALLOWED' ? EXIT.invalidInput : EXIT.couldNotStart));
          }
        },
        lost: (why) => {
          clearTimeout(timer);
          reject(new CliError(`agent ${this.link.label} was lost before the start: ${why}`, EXIT.couldNotStart));
        },
      });
      this.link.send({ v: 1, type: 'plan', runId: this.runId, ...planScenario(plan, this.shares), shares: this.shares, totalShares: plan.shares, seed: plan.seed });
    });
  }

  start(startAt: number): void {
    this.#startAt = startAt;
    this.link.snapshotBytes = 0;
    if (this.shares.length > 0) this.link.send({ v: 1, type: 'start', runId: this.runId, startAt: startAt + this.link.offsetMs });
  }

  /** The run will not start (an abort, or another workload's failure): the agent forgets the plan, and this link no longer routes to it. */
  abandon(): void {
    if (this.#startAt !== null) return;
    if (this.shares.length > 0) this.link.send({ v: 1, type: 'stop', runId: this.runId });
    this.link.runs.delete(this.runId);
  }

  /** Tell the agent to stop its shares; `now` skips gracefulStop there too. */
  stop(now = false): void {
    if (!this.#settled) this.link.send({ v: 1, type: 'stop', runId: this.runId, ...(now && { now }) });
  }

  /** The run's deadline passed without this agent's end of run: drop it, it counts as lost from now. */
  expire(why: string): void {
    if (this.#settled) return;
    this.link.drop(why);
    this.#lost(why);
  }

  #message(msg: AgentMessage): void {
    if (this.#settled || !('runId' in msg) || msg.runId !== this.runId) return;
    if (msg.type === 'snapshot') return this.#snapshot(msg.snapshot);
    if (msg.type === 'done') {
      for (const r of msg.results) this.sink.shareEnded(r.share);
      this.results.push(...msg.results.filter((r) => this.shares.includes(r.share)));
      return this.#settle('ok');
    }
    if (msg.type === 'error') {
      for (const share of this.shares) this.failures.push({ share, agent: this.link.name || this.link.id, message: msg.message });
      // Settle as failed before the drop, which would otherwise settle it as lost.
      this.#end('failed');
      this.link.drop(`agent failed: ${msg.message}`);
    }
  }

  /**
   * Merge a snapshot, or refuse it and drop the agent: one for a share it does
   * not own, or one that fails the sink's checks (slack: its clock offset).
   * Nothing of a refused snapshot is merged; the agent is named in failures.
   */
  #snapshot(s: IntervalSnapshot): void {
    const problem = this.shares.includes(s.share) ? this.sink.snapshot(s, Math.abs(this.link.offsetMs) / 1000)?.problem : `share ${s.share} is not this agent's`;
    if (problem === undefined) {
      for (const e of Object.values(s.endpoints)) this.#requests += e.requests;
      return;
    }
    const agent = this.link.name || this.link.id;
    this.log(`agent ${this.link.label}: snapshot refused (share ${s.share}, seq ${s.seq}): ${problem}; dropping it, going on with the others`);
    for (const share of this.shares) this.failures.push({ share, agent, message: `snapshot refused (share ${s.share}, seq ${s.seq}): ${problem}` });
    this.#end('failed');
    this.link.drop(`snapshot refused: ${problem}`);
  }

  #lost(why: string): void {
    if (this.#settled) return;
    const when = this.#startAt === null ? 'before the start' : `${(this.#secondsIn() ?? 0).toFixed(1)} s into the run`;
    this.log(`agent ${this.link.label} lost ${when}: ${why}; going on with the others`);
    this.#end('lost');
  }

  #end(status: 'lost' | 'failed'): void {
    for (const share of this.shares) this.sink.shareEnded(share);
    this.#settle(status);
  }

  #settle(status: AgentReport['status']): void {
    if (this.#settled) return;
    this.#settled = true;
    this.link.runs.delete(this.runId);
    const report: AgentReport = {
      name: this.link.name || this.link.id,
      share: this.index,
      shares: this.shares,
      requests: this.#requests,
      clockOffsetMs: Math.round(this.link.offsetMs * 1000) / 1000,
      status,
    };
    const secondsIn = this.#secondsIn();
    if (status === 'lost' && secondsIn !== null) report.lostAtSeconds = Math.round(secondsIn * 10) / 10;
    const seconds = Math.max(1, secondsIn ?? 0);
    if (this.shares.length > 0) this.log(`agent ${this.link.label}: ${status}, ${this.#requests} requests, snapshots ${(this.link.snapshotBytes / seconds / 1024).toFixed(1)} KiB/s, clock offset ${report.clockOffsetMs} ms`);
    this.#resolve(report);
  }

  /** Seconds since the start (0 during the lead time), null before start(). */
  #secondsIn(): number | null {
    return this.#startAt === null ? null : Math.max(0, (wallNow() - this.#startAt) / 1000);
  }
}
