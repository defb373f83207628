/**
 * Heartbeats both ways: each side pings once a second, answers pings with
 * pongs, and declares the other lost after `silentMs` without any message.
 * Pong round trips also give the clock offset (peer clock − our clock).
 */
import { performance } from 'node:perf_hooks';
import type { HeartbeatMessage } from './protocol.js';

/** Wall-clock epoch ms with sub-millisecond resolution. */
export const wallNow = (): number => performance.timeOrigin + performance.now();

export interface ClockSample {
  rttMs: number;
  /** Peer clock minus ours at the midpoint of the round trip. */
  offsetMs: number;
}

export class Heartbeat {
  #timer: NodeJS.Timeout | undefined;
  #lastHeard = wallNow();
  #nextId = 0;
  #stopped = false;
  readonly #pending = new Map<number, (s: ClockSample) => void>();

  constructor(
    private readonly send: (msg: HeartbeatMessage) => void,
    private readonly onSilent: () => void,
    private readonly intervalMs = 1000,
    private readonly silentMs = 3000,
  ) {}

  start(): void {
    this.#stopped = false;
    this.#lastHeard = wallNow();
    this.#timer = setInterval(() => {
      if (wallNow() - this.#lastHeard > this.silentMs) {
        this.stop();
        this.onSilent();
        return;
      }
      this.send({ v: 1, type: 'ping', id: this.#nextId++, t: wallNow() });
    }, this.intervalMs);
  }

  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    for (const resolve of this.#pending.values()) resolve({ rttMs: Infinity, offsetMs: 0 });
    this.#pending.clear();
  }

  /** Any message from the peer proves it alive; pings are answered, pongs resolve measurements. */
  heard(msg: { type: string }): void {
    this.#lastHeard = wallNow();
    if (!isHeartbeat(msg)) return;
    if (msg.type === 'ping') this.send({ v: 1, type: 'pong', id: msg.id, t: msg.t, time: wallNow() });
    else {
      const now = wallNow();
      this.#pending.get(msg.id)?.({ rttMs: now - msg.t, offsetMs: msg.time - (msg.t + now) / 2 });
      this.#pending.delete(msg.id);
    }
  }

  /**
   * Measure the peer's clock offset: up to `samples` ping/pongs, the one with
   * the shortest round trip wins. Never waits past `deadlineMs` in all, nor
   * after stop(): a peer that does not answer gives `rttMs: Infinity`.
   */
  async measureOffset(samples: number, deadlineMs: number): Promise<ClockSample> {
    let best: ClockSample = { rttMs: Infinity, offsetMs: 0 };
    const until = wallNow() + deadlineMs;
    for (let i = 0; i < samples && !this.#stopped && wallNow() < until; i++) {
      const sample = await this.#ping(until - wallNow());
      // Unanswered: it waited out the deadline (a timer may fire a hair early by wallNow) or stop() ended it.
      if (sample.rttMs === Infinity) break;
      if (sample.rttMs < best.rttMs) best = sample;
    }
    return best;
  }

  /** One ping, answered by its pong, stop() or `waitMs` running out (then rttMs is Infinity). */
  #ping(waitMs: number): Promise<ClockSample> {
    const id = this.#nextId++;
    return new Promise<ClockSample>((resolve) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        resolve({ rttMs: Infinity, offsetMs: 0 });
      }, waitMs);
      this.#pending.set(id, (s) => {
        clearTimeout(timer);
        resolve(s);
      });
      this.send({ v: 1, type: 'ping', id, t: wallNow() });
    });
  }
}

function isHeartbeat(msg: { type: string }): msg is HeartbeatMessage {
  return msg.type === 'ping' || msg.type === 'pong';
}
