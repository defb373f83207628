/**
 * The controller's end of one agent connection: checks every message with
 * the protocol's schemas (closing the connection with the reason on a bad
 * one), keeps heartbeats, measures the agent's clock offset, and tells its
 * handlers about messages and about losing the agent: each run in flight
 * (a run file's workloads run at once) hears the messages of its own runId,
 * the link's own handler (the gathering phase) the rest. It also holds
 * the agent to the limits of limits.ts: an agent that does not read what it
 * is sent, floods snapshots or other messages, or sends an oversized
 * message is dropped.
 */
import type { WebSocket } from 'ws';
import { CLOSE, Heartbeat, closeReason, parseAgentMessage, type AgentMessage, type ControllerMessage } from '@novaload/agent';
import { MESSAGE_RATE, MessageBudget, SEND_BUFFER_LIMIT_BYTES, SNAPSHOT_RATE, SnapshotBudget } from './limits.js';

/** How long a dropped agent has to answer the close frame before its socket is cut. */
export const CLOSE_GRACE_MS = 1000;

/** RFC 6455's close code for a message too big to process (what ws itself closes with). */
const MESSAGE_TOO_BIG = 1009;

/** Who listens to a link: the gathering phase, and each run in flight by its runId. */
export interface LinkHandler {
  message(msg: AgentMessage): void;
  lost(reason: string): void;
}

export class AgentLink {
  handler: LinkHandler | null = null;
  /** The runs in flight on this agent, by runId: each hears its own messages, and all hear the agent's loss. */
  readonly runs = new Map<string, LinkHandler>();
  name = '';
  threads = 0;
  /** Agent clock minus controller clock, ms (from the shortest ping/pong). */
  offsetMs = 0;
  rttMs = Infinity;
  /** Bytes of snapshot messages received, for the run's transport figures. */
  snapshotBytes = 0;
  #gone: string | null = null;
  readonly #heartbeat: Heartbeat;
  readonly #snapshots = new SnapshotBudget();
  readonly #messages = new MessageBudget();
  #largestSent = 0;

  /** `maxMessageBytes` is the ws `maxPayload` the connection was accepted with, named when it is broken. */
  constructor(
    readonly id: string,
    private readonly ws: WebSocket,
    private readonly log: (line: string) => void,
    maxMessageBytes: number,
  ) {
    this.#heartbeat = new Heartbeat((m) => this.send(m), () => this.drop('silent for 3 s'));
    ws.on('message', (data) => this.#receive(data.toString()));
    ws.on('close', (code, reason) => this.#lose(reason.toString() || `connection closed (${code})`));
    ws.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.#violation(`sent a message over the limit of ${maxMessageBytes} bytes`, MESSAGE_TOO_BIG);
    });
    this.#heartbeat.start();
  }

  /** Why the agent is gone, or null while connected. */
  get gone(): string | null {
    return this.#gone;
  }

  get label(): string {
    return this.name ? `${this.name} (${this.id})` : this.id;
  }

  /**
   * Send unless gone. An agent that leaves more than the send-buffer limit
   * unread (plus twice the largest message sent, so a big plan on a slow
   * link is not mistaken for it) is cut off instead.
   */
  send(msg: ControllerMessage): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const limit = SEND_BUFFER_LIMIT_BYTES + 2 * this.#largestSent;
    if (this.ws.bufferedAmount > limit) {
      return this.#violation(`does not read what it is sent (${this.ws.bufferedAmount} bytes unread, limit ${limit})`, CLOSE.lost, true);
    }
    const raw = JSON.stringify(msg);
    this.#largestSent = Math.max(this.#largestSent, raw.length);
    this.ws.send(raw);
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

  /**
   * Protocol violation or loss: close with a reason the agent prints. The
   * socket is cut `CLOSE_GRACE_MS` later if the agent does not answer the
   * close (cutting it at once sent an RST over the unread data, which threw
   * away the close frame, so the agent only saw 1006); `now` cuts it at
   * once, for a peer that does not read or has not said hello.
   */
  drop(reason: string, code: number = CLOSE.lost, now = false): void {
    this.ws.close(code, closeReason(reason));
    if (now) this.ws.terminate();
    else {
      const cut = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      cut.unref?.();
      this.ws.once('close', () => clearTimeout(cut));
    }
    this.#lose(reason);
  }

  /** Normal end of the session. */
  close(reason: string): void {
    this.#heartbeat.stop();
    this.#gone ??= reason;
    this.ws.close(CLOSE.normal, closeReason(reason));
  }

  #receive(raw: string): void {
    // Frames already read when the agent was dropped are not looked at.
    if (this.#gone !== null) return;
    const parsed = parseAgentMessage(raw);
    if (!parsed.ok) return this.#violation(parsed.reason, parsed.code);
    if (parsed.msg.type === 'snapshot') {
      if (!this.#snapshots.take(`${parsed.msg.runId}:${parsed.msg.snapshot.share}`)) {
        return this.#violation(`sent snapshots for share ${parsed.msg.snapshot.share} faster than ${SNAPSHOT_RATE.perSecond}/s (${SNAPSHOT_RATE.burst} at once)`, CLOSE.badMessage);
      }
      this.snapshotBytes += raw.length;
    } else if (!this.#messages.take()) {
      return this.#violation(`sent messages faster than ${MESSAGE_RATE.perSecond}/s (${MESSAGE_RATE.burst} at once; snapshots aside)`, CLOSE.badMessage);
    }
    // Only a message within its budget is answered (a ping) or proves the agent alive.
    this.#heartbeat.heard(parsed.msg);
    if (parsed.msg.type === 'ping' || parsed.msg.type === 'pong') return;
    const run = 'runId' in parsed.msg && parsed.msg.runId !== undefined ? this.runs.get(parsed.msg.runId) : undefined;
    (run ?? this.handler)?.message(parsed.msg);
  }

  /** A broken protocol or limit: say so, and drop the agent with the reason. */
  #violation(reason: string, code: number, now = false): void {
    if (this.#gone !== null) return;
    this.log(`closing the connection to agent ${this.label}: ${reason}`);
    this.drop(reason, code, now);
  }

  #lose(reason: string): void {
    if (this.#gone !== null) return;
    this.#gone = reason;
    this.#heartbeat.stop();
    for (const run of [...this.runs.values()]) run.lost(reason);
    this.handler?.lost(reason);
  }
}
