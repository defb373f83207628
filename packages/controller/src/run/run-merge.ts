/**
 * One report for a run file: every workload's snapshots go to its own
 * aggregator (its section) and, shifted onto the run's clock, to one more
 * aggregator for the whole run, so the run's histograms are the exact HDR sum
 * of the workloads'. Workload k's share j is run share offset_k + j, and its
 * second s is run second s + startTime_k. A workload that starts later has
 * reported nothing for the seconds before its start: empty snapshots stand
 * for them, so those run seconds complete as the others report them. The
 * run's extras watch its run-wide windowed thresholds on that aggregator and
 * give its baseline and history.
 */
import { RunAggregator, SnapshotError, type AgentReport, type IntervalSnapshot, type LiveFigures, type Report, type Verdict } from '@novaload/report';
import { checkName, type ResolvedScenario } from '@novaload/agent';
import type { ResolvedRun } from '../scenario/index.js';
import type { ScenarioExtras } from './extras.js';
import type { RunSink } from './runner.js';
import { lastSecondOf } from './snapshot-sink.js';
import type { LiveSource } from '../live/sink.js';

/** A second a workload did not run yet: nothing measured, a zero-length generator interval that counts for nothing. */
const IDLE = { lagMaxMs: 0, lagMeanMs: 0, utilization: 0, intervalMs: 0 };

const RANK: Record<Verdict, number> = { pass: 0, warn: 1, fail: 2 };

/** The run's own aggregator beside its workloads', and the run report that holds theirs. */
export class RunMerge {
  readonly #aggregator: RunAggregator;
  readonly #offsets: number[] = [];
  readonly #startSeconds: number[];

  /** `shares[k]`: how many shares workload k is split into (sharesFor, as its own run computes it); `extras`: the run's own (run-wide windows, baseline, history). */
  constructor(readonly run: ResolvedRun, shares: readonly number[], private readonly extras?: Pick<ScenarioExtras, 'watch' | 'finishOptions'>) {
    let total = 0;
    for (const n of shares) {
      this.#offsets.push(total);
      total += n;
    }
    this.#startSeconds = run.workloads.map((w) => w.startMs / 1000);
    const last = Math.max(...run.workloads.map((w, k) => this.#startSeconds[k]! + lastSecondOf(w.scenario)));
    this.#aggregator = new RunAggregator({ scenario: run.name, target: targetOf(run), executor: 'run-file', startedAt: new Date(), requests: requestsOf(run.workloads.map((w) => w.scenario)) }, total, last);
    extras?.watch(this.#aggregator);
    run.workloads.forEach((_, k) => {
      for (let j = 0; j < shares[k]!; j++) {
        for (let second = 0; second < this.#startSeconds[k]!; second++) {
          this.#aggregator.add({ share: this.#offsets[k]! + j, seq: second, second, vus: 0, dropped: 0, endpoints: {}, generator: IDLE });
        }
      }
    });
  }

  /** Workload k's sink: its own aggregator first (which checks the snapshot), then the run's, on the run's clock. */
  sinkFor(k: number, own: RunSink): RunSink {
    const offset = this.#offsets[k]!;
    const shift = this.#startSeconds[k]!;
    return {
      snapshot: (s: IntervalSnapshot, slack?: number) => {
        const refused = own.snapshot(s, slack);
        if (refused !== null) return refused;
        try {
          this.#aggregator.add({ ...s, share: offset + s.share, seq: s.seq + shift, second: s.second + shift }, slack);
          return null;
        } catch (err) {
          if (err instanceof SnapshotError) return err;
          throw err;
        }
      },
      shareEnded: (share) => {
        own.shareEnded(share);
        this.#aggregator.shareEnded(offset + share);
      },
    };
  }

  /** The run's report as it is built, for a live view; `startAt()`: the run's second 0 once fixed. */
  liveSource(startAt: () => number, plannedMs: number): LiveSource {
    return {
      name: this.run.name, aggregator: this.#aggregator, plannedMs,
      get startAt() { return startAt(); },
      options: () => ({ durationMs: Math.max(1, Date.now() - startAt()), interrupted: false, thresholds: this.run.thresholds, ...this.extras?.finishOptions() }),
    };
  }

  /** The run's live figures over every workload (its progress line). */
  live(): LiveFigures {
    return this.#aggregator.live();
  }

  /**
   * The run's report: its figures over every workload, judged on the run-wide
   * thresholds (and the run's baseline and history), with each workload's
   * report under `scenarios`; its verdict is the worst of its own and the
   * workloads'. What stopped the run first, a run-wide or a workload's
   * abortOnFail, is the one `aborted` names. `startedAt`: the run's second 0.
   */
  finish(sections: readonly Report[], durationMs: number, interrupted: boolean, startedAt?: number): Report {
    if (startedAt !== undefined) this.#aggregator.meta.startedAt = new Date(startedAt);
    const report = this.#aggregator.finish({ durationMs, interrupted, thresholds: this.run.thresholds, ...this.extras?.finishOptions() });
    report.scenarios = Object.fromEntries(sections.map((r, k) => [r.scenario, { ...r, startTimeMs: this.run.workloads[k]!.startMs }]));
    report.verdict = [report, ...sections].map((r) => r.verdict).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
    const aborted = sections.find((r) => r.aborted);
    if (aborted?.aborted) report.aborted = aborted.aborted;
    const failures = sections.flatMap((r) => r.failures ?? []);
    if (failures.length > 0) report.failures = failures;
    report.agents = this.#agents(sections);
    return report;
  }

  /**
   * The run's agents (remote runs): each agent once, over every workload it
   * ran, with the run's share numbers, its requests summed, and its worst
   * status; an agent lost in any workload is lost for the run, at the
   * earliest run second it was lost.
   */
  #agents(sections: readonly Report[]): AgentReport[] {
    const byName = new Map<string, AgentReport>();
    const worse = { ok: 0, failed: 1, lost: 2 } as const;
    sections.forEach((section, k) => {
      for (const a of section.agents) {
        const shares = a.shares.map((s) => this.#offsets[k]! + s);
        const lostAt = a.lostAtSeconds === undefined ? undefined : Math.round((a.lostAtSeconds + this.#startSeconds[k]!) * 10) / 10;
        const known = byName.get(a.name);
        if (!known) {
          byName.set(a.name, { ...a, shares, ...(lostAt !== undefined && { lostAtSeconds: lostAt }) });
          continue;
        }
        known.shares = [...known.shares, ...shares].sort((x, y) => x - y);
        known.requests += a.requests;
        if (worse[a.status] > worse[known.status]) known.status = a.status;
        if (lostAt !== undefined) known.lostAtSeconds = Math.min(known.lostAtSeconds ?? Infinity, lostAt);
      }
    });
    return [...byName.values()];
  }
}

/** The run's target: the workloads' one target, or each named when they differ. */
function targetOf(run: ResolvedRun): string {
  return [...new Set(run.workloads.map((w) => w.scenario.target))].join(' ');
}

/** Request names over every workload: a name two workloads share is one endpoint of the run (as k6 sums a metric over scenarios). */
function requestsOf(scenarios: readonly ResolvedScenario[]): RunAggregatorRequests {
  const byName = new Map<string, RunAggregatorRequests[number]>();
  for (const r of scenarios.flatMap((s) => s.requests)) {
    const checks = (r.checks ?? []).map(checkName);
    const known = byName.get(r.name);
    if (known) known.checkNames = [...new Set([...(known.checkNames ?? []), ...checks])];
    else byName.set(r.name, { name: r.name, method: r.method, path: r.path, checkNames: checks });
  }
  return [...byName.values()];
}

type RunAggregatorRequests = { name: string; method: string; path: string; checkNames?: readonly string[] }[];
