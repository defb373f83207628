/**
 * One connection of an agent to its controller: hello, heartbeats, and the
 * run cycle plan → ready → start → snapshots → done. Plans come only over
 * this authenticated connection, and each is checked here (plan-check.ts):
 * a malformed one, a target outside `allowHosts` or a metadata address, or
 * more than this machine holds is answered with an `error` naming the
 * problem, before anything is sent, and the agent waits for the next plan.
 */
import type { WebSocket } from 'ws';
import type { LocalPool, ShareRunHandle } from '../local-pool.js';
import { specFor } from '../share.js';
import { memoryLimitMb, openFilesLimit } from '../limits.js';
import { Heartbeat } from './heartbeat.js';
import { CLOSE, closeReason, parseControllerMessage, type AgentMessage, type ControllerMessage } from './protocol.js';
import type { AgentOptions } from './agent-client.js';
import { checkPlan } from './plan-check.js';

type Plan = Extract<ControllerMessage, { type: 'plan' }>;

export class AgentSession {
  readonly #heartbeat: Heartbeat;
  /** The plan this agent said `ready` to, with the scenario as the agent's own rules let it run. */
  #plan: Plan | null = null;
  #handles: ShareRunHandle[] = [];
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
    if (this.#handles.length === 0) this.ws.close(CLOSE.normal, 'agent interrupted');
    else this.#handles.forEach((h) => h.stop());
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
        if (msg.runId === this.#plan?.runId) this.#handles.forEach((h) => h.stop(msg.now === true));
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
      this.#handles.length > 0
        ? { ok: false as const, code: 'AGENT_BUSY', message: `a run (${this.#plan?.runId}) is still in progress on this agent` }
        : checkPlan(plan, { threads: this.opts.threads, allowHosts: this.opts.allowHosts, openFiles: openFilesLimit(), memoryMb: memoryLimitMb() });
    if (!checked.ok) {
      this.opts.log(`refused plan ${plan.runId}: ${checked.message}`);
      this.send({ v: 1, type: 'error', runId: plan.runId, code: checked.code, message: checked.message });
      return;
    }
    this.#plan = { ...plan, scenario: checked.scenario };
    this.opts.log(`plan ${plan.runId}: "${plan.scenario.name}" shares ${plan.shares.join(',')} of ${plan.totalShares}`);
    this.send({ v: 1, type: 'ready', runId: plan.runId });
  }

  #onStart(runId: string, startAt: number): void {
    const plan = this.#plan;
    if (!plan || plan.runId !== runId || this.#handles.length > 0) return;
    this.#hadLoad = true;
    const run = { runId, scenario: plan.scenario, shares: plan.totalShares, seed: plan.seed };
    this.#handles = plan.shares.map((share, i) =>
      this.pool.runShare(specFor(run, share, startAt, plan.rows?.[i]), (m) => {
        if (m.type === 'snapshot') this.send({ v: 1, type: 'snapshot', runId, snapshot: m.snapshot });
      }),
    );
    Promise.all(this.#handles.map((h) => h.finished)).then(
      (results) => this.send({ v: 1, type: 'done', runId, results }),
      (err: Error & { code?: string }) => this.send({ v: 1, type: 'error', runId, code: err.code ?? 'AGENT_THREAD_FAILED', message: err.message }),
    ).finally(() => {
      this.#handles = [];
      this.#plan = null;
      if (this.#interrupted) this.ws.close(CLOSE.normal, 'agent interrupted');
    });
  }
}
