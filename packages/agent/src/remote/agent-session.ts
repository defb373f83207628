/**
 * One connection of an agent to its controller: hello, heartbeats, and the
 * run cycle plan → ready → start → snapshots → done. Plans come only over
 * this authenticated connection, and each is checked here (plan-check.ts):
 * a malformed one, a target outside `allowHosts` or a metadata address, or
 * more than this machine holds is answered with an `error` naming the
 * problem, before anything is sent, and the agent waits for the next plan.
 * Several runs may be in flight at once (a run file's workloads, each its
 * own plan on the same threads), up to MAX_RUNS, each checked against what
 * the others already hold.
 */
import type { WebSocket } from 'ws';
import type { LocalPool, ShareRunHandle } from '../local-pool.js';
import { specFor } from '../share.js';
import { memoryLimitMb, openFilesLimit } from '../limits.js';
import { Heartbeat } from './heartbeat.js';
import { CLOSE, MAX_RUNS, closeReason, parseControllerMessage, type AgentMessage, type ControllerMessage } from './protocol.js';
import type { AgentOptions } from './agent-client.js';
import { checkPlan, planSize, type PlanSize } from './plan-check.js';

type Plan = Extract<ControllerMessage, { type: 'plan' }>;

/** A plan this agent said `ready` to, with the scenario as the agent's own rules let it run; its shares once started. */
interface AcceptedRun {
  plan: Plan;
  size: PlanSize;
  handles: ShareRunHandle[] | null;
}

export class AgentSession {
  readonly #heartbeat: Heartbeat;
  readonly #runs = new Map<string, AcceptedRun>();
  #hadLoad = false;
  #interrupted = false;
  #released = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly pool: LocalPool,
    private readonly opts: AgentOptions,
  ) {
    this.#heartbeat = new Heartbeat(
      (m) => this.send(m),
      () => {
        opts.log('controller silent for 3 s: stopping the load');
        ws.terminate();
      },
    );
    ws.on('message', (data) => this.#receive(data.toString()));
    this.send({ v: 1, type: 'hello', name: opts.name, threads: opts.threads });
    this.#heartbeat.start();
  }

  send(msg: AgentMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
  }

  /** SIGINT on the agent: stop the load gracefully, then close. */
  interrupt(): void {
    this.#interrupted = true;
    const started = [...this.#runs.values()].filter((r) => r.handles !== null);
    if (started.length === 0) this.ws.close(CLOSE.normal, 'agent interrupted');
    else started.forEach((r) => r.handles!.forEach((h) => h.stop()));
  }

  /** The connection closed: what the caller must clean up, and whether the controller released this agent. */
  closed(code: number, reason: string): { hadLoad: boolean; released: boolean } {
    this.#heartbeat.stop();
    if (code !== CLOSE.normal) this.opts.log(`connection closed (${code})${reason ? `: ${reason}` : ''}`);
    else if (reason) this.opts.log(`controller closed the connection: ${reason}`);
    return { hadLoad: this.#hadLoad, released: this.#released };
  }

  #receive(raw: string): void {
    const parsed = parseControllerMessage(raw);
    if (!parsed.ok) {
      this.opts.log(`closing: ${parsed.reason}`);
      this.ws.close(parsed.code, closeReason(parsed.reason));
      return;
    }
    const msg = parsed.msg;
    this.#heartbeat.heard(msg);
    try {
      this.#dispatch(msg);
    } catch (err) {
      // Whatever a message does to this agent, it answers and stays up for the next run.
      const message = `could not handle the controller's "${msg.type}" message: ${(err as Error).message}`;
      this.opts.log(message);
      this.send({ v: 1, type: 'error', ...('runId' in msg && { runId: msg.runId }), code: 'AGENT_INTERNAL', message });
    }
  }

  #dispatch(msg: ControllerMessage): void {
    switch (msg.type) {
      case 'welcome':
        this.opts.log(`joined as ${msg.agentId}`);
        break;
      case 'plan':
        this.#onPlan(msg);
        break;
      case 'start':
        this.#onStart(msg.runId, msg.startAt);
        break;
      case 'stop':
        this.#onStop(msg.runId, msg.now === true);
        break;
      case 'leave':
        this.#released = true;
        this.ws.close(CLOSE.normal, closeReason(msg.reason));
        break;
      case 'error':
        this.opts.log(`controller error ${msg.code}: ${msg.message}`);
        break;
    }
  }

  #onPlan(plan: Plan): void {
    const checked =
      this.#runs.size >= MAX_RUNS
        ? { ok: false as const, code: 'AGENT_BUSY', message: `${this.#runs.size} runs are in progress on this agent, and it holds at most ${MAX_RUNS} at once` }
        : this.#runs.has(plan.runId)
          ? { ok: false as const, code: 'PLAN_INVALID', message: `run ${plan.runId} was planned on this agent already` }
          : checkPlan(plan, { threads: this.opts.threads, allowHosts: this.opts.allowHosts, openFiles: openFilesLimit(), memoryMb: memoryLimitMb(), committed: this.#committed() });
    if (!checked.ok) {
      this.opts.log(`refused plan ${plan.runId}: ${checked.message}`);
      this.send({ v: 1, type: 'error', runId: plan.runId, code: checked.code, message: checked.message });
      return;
    }
    this.#runs.set(plan.runId, { plan: { ...plan, scenario: checked.scenario }, size: planSize(plan), handles: null });
    this.opts.log(`plan ${plan.runId}: "${plan.scenario.name}" shares ${plan.shares.join(',')} of ${plan.totalShares}`);
    this.send({ v: 1, type: 'ready', runId: plan.runId });
  }

  /** What the accepted runs hold together (the next plan is checked with it). */
  #committed(): PlanSize {
    let connections = 0;
    let memoryMb = 0;
    for (const r of this.#runs.values()) {
      connections += r.size.connections;
      memoryMb += r.size.memoryMb;
    }
    return { connections, memoryMb };
  }

  /** Stop a started run's shares; a run planned but never started is forgotten (its controller gave up on the start). */
  #onStop(runId: string, now: boolean): void {
    const run = this.#runs.get(runId);
    if (run === undefined) return;
    if (run.handles === null) this.#runs.delete(runId);
    else run.handles.forEach((h) => h.stop(now));
  }

  #onStart(runId: string, startAt: number): void {
    const accepted = this.#runs.get(runId);
    if (!accepted || accepted.handles !== null) return;
    this.#hadLoad = true;
    const plan = accepted.plan;
    const run = { runId, scenario: plan.scenario, shares: plan.totalShares, seed: plan.seed };
    const handles = plan.shares.map((share, i) =>
      this.pool.runShare(specFor(run, share, startAt, plan.rows?.[i]), (m) => {
        if (m.type === 'snapshot') this.send({ v: 1, type: 'snapshot', runId, snapshot: m.snapshot });
      }),
    );
    accepted.handles = handles;
    Promise.all(handles.map((h) => h.finished)).then(
      (results) => this.send({ v: 1, type: 'done', runId, results }),
      (err: Error & { code?: string }) => this.send({ v: 1, type: 'error', runId, code: err.code ?? 'AGENT_THREAD_FAILED', message: err.message }),
    ).finally(() => {
      this.#runs.delete(runId);
      if (this.#interrupted && ![...this.#runs.values()].some((r) => r.handles !== null)) this.ws.close(CLOSE.normal, 'agent interrupted');
    });
  }
}
