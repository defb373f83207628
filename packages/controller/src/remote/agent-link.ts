/**
 * The controller's end of one agent connection: checks every message with
 * the protocol's schemas (closing the connection with the reason on a bad
 * one), keeps heartbeats, measures the agent's clock offset, and tells its
 * current handler about messages and about losing the agent.
 */
import type { WebSocket } from 'ws';
import { CLOSE, Heartbeat, closeReason, parseAgentMessage, type AgentMessage, type ControllerMessage } from '@novaload/agent';

/** Who currently listens to a link: the gathering phase, then each run. */
export interface LinkHandler {
  message(msg: AgentMessage): void;
  lost(reason: string): void;
}

export class AgentLink {
  handler: LinkHandler | null = null;
  name = '';
  threads = 0;
  /** Agent clock minus controller clock, ms (from the shortest ping/pong). */
  offsetMs = 0;
  rttMs = Infinity;
  /** Bytes of snapshot messages received, for the run's transport figures. */
  snapshotBytes = 0;
  #gone: string | null = null;
  readonly #heartbeat: Heartbeat;

  constructor(
    readonly id: string,
    private readonly ws: WebSocket,
    private readonly log: (line: string) => void,
  ) {
    this.#heartbeat = new Heartbeat((m) => this.send(m), () => this.drop('silent for 3 s'));
    ws.on('message', (data) => this.#receive(data.toString()));
    ws.on('close', (code, reason) => this.#lose(reason.toString() || `connection closed (${code})`));
    ws.on('error', () => {});
    this.#heartbeat.start();
  }

  /** Why the agent is gone, or null while connected. */
  get gone(): string | null {
    return this.#gone;
  }

  get label(): string {
    return this.name ? `${this.name} (${this.id})` : this.id;
  }

  send(msg: ControllerMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(msg));
  }

  /**
   * Refresh the clock offset: a few ping/pongs within `deadlineMs`, the
   * shortest round trip wins. False when not one pong came back in time.
   */
  async measureClock(deadlineMs: number): Promise<boolean> {
    const sample = await this.#heartbeat.measureOffset(5, deadlineMs);
    if (!Number.isFinite(sample.rttMs)) return false;
    this.offsetMs = sample.offsetMs;
    this.rttMs = sample.rttMs;
    return true;
  }

  /** Protocol violation or loss: close with a reason the agent prints. */
  drop(reason: string, code: number = CLOSE.lost): void {
    this.ws.close(code, closeReason(reason));
    this.ws.terminate();
    this.#lose(reason);
  }

  /** Normal end of the session. */
  close(reason: string): void {
    this.#heartbeat.stop();
    this.#gone ??= reason;
    this.ws.close(CLOSE.normal, closeReason(reason));
  }

  #receive(raw: string): void {
    const parsed = parseAgentMessage(raw);
    if (!parsed.ok) {
      this.log(`closing the connection to agent ${this.label}: ${parsed.reason}`);
      this.drop(parsed.reason, parsed.code);
      return;
    }
    this.#heartbeat.heard(parsed.msg);
    if (parsed.msg.type === 'snapshot') this.snapshotBytes += raw.length;
    if (parsed.msg.type !== 'ping' && parsed.msg.type !== 'pong') this.handler?.message(parsed.msg);
  }

  #lose(reason: string): void {
    if (this.#gone !== null) return;
    this.#gone = reason;
    this.#heartbeat.stop();
    this.handler?.lost(reason);
  }
}
