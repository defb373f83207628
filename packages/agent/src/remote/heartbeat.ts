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
  readonly #pending = new Map<number, (s: ClockSample) => void>();

  constructor(
    private readonly send: (msg: HeartbeatMessage) => void,
    private readonly onSilent: () => void,
    private readonly intervalMs = 1000,
    private readonly silentMs = 3000,
  ) {}

  start(): void {
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

  /** Measure the peer's clock offset: `samples` ping/pongs, the one with the shortest round trip wins. */
  async measureOffset(samples = 5): Promise<ClockSample> {
    let best: ClockSample = { rttMs: Infinity, offsetMs: 0 };
    for (let i = 0; i < samples; i++) {
      const id = this.#nextId++;
      const sample = await new Promise<ClockSample>((resolve) => {
        this.#pending.set(id, resolve);
        this.send({ v: 1, type: 'ping', id, t: wallNow() });
      });
      if (sample.rttMs < best.rttMs) best = sample;
    }
    return best;
  }
}

function isHeartbeat(msg: { type: string }): msg is HeartbeatMessage {
  return msg.type === 'ping' || msg.type === 'pong';
}
