/**
 * A fake `novaload agent` that speaks the real protocol over WebSocket and
 * misbehaves on command: tests of the controller's defences drive it to send
 * forged, malformed or excessive messages, or to fall silent at a chosen
 * phase. It answers pings by default (`autoPong: false` makes it deaf).
 */
import { WebSocket } from 'ws';
import { createHistogram, encodeHistogram, recordMicros, type IntervalSnapshot } from '@novaload/report';

export interface FakeAgentOptions {
  token?: string;
  /** Answer the controller's pings (default true); false makes the agent look frozen. */
  autoPong?: boolean;
  /** Say hello on open with this name and thread count (default: name "fake", 1 thread); null sends nothing. */
  hello?: { name: string; threads: number } | null;
}

type Message = { v: number; type: string; [k: string]: unknown };

/** One connection of a fake agent: every message it received, in order, and ways to wait for the next. */
export class FakeAgent {
  readonly received: Message[] = [];
  autoPong: boolean;
  closed: { code: number; reason: string } | null = null;
  readonly #waiters: { type: string; from: number; resolve: (m: Message) => void; reject: (e: Error) => void }[] = [];
  readonly #closeWaiters: ((c: { code: number; reason: string }) => void)[] = [];

  private constructor(readonly ws: WebSocket, opts: FakeAgentOptions) {
    this.autoPong = opts.autoPong ?? true;
    ws.on('message', (data) => this.#receive(data.toString()));
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const w of this.#waiters.splice(0)) w.reject(new Error(`closed (${code} ${reason.toString()}) while waiting for "${w.type}"`));
      for (const r of this.#closeWaiters.splice(0)) r(this.closed);
    });
    ws.on('error', () => {});
  }

  /** Connect to a controller's ws URL; resolves once the socket is open (and hello sent, unless `hello: null`). */
  static connect(url: string, opts: FakeAgentOptions = {}): Promise<FakeAgent> {
    const ws = new WebSocket(url, { headers: opts.token ? { authorization: `Bearer ${opts.token}` } : {} });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        const agent = new FakeAgent(ws, opts);
        const hello = opts.hello === undefined ? { name: 'fake', threads: 1 } : opts.hello;
        if (hello) agent.send({ v: 1, type: 'hello', ...hello });
        resolve(agent);
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
  }

  send(msg: object): void {
    this.sendRaw(JSON.stringify(msg));
  }

  sendRaw(raw: string | Buffer): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(raw);
  }

  /** The next message of `type` received after this call (or already received and not yet waited for, with `fromStart`). */
  next(type: string, fromStart = false): Promise<Message> {
    const from = fromStart ? 0 : this.received.length;
    const have = this.received.slice(from).find((m) => m.type === type);
    if (have) return Promise.resolve(have);
    if (this.closed) return Promise.reject(new Error(`closed (${this.closed.code} ${this.closed.reason}) before "${type}"`));
    return new Promise((resolve, reject) => this.#waiters.push({ type, from, resolve, reject }));
  }

  /** Resolves with the close code and reason once the controller (or we) closed the connection. */
  whenClosed(): Promise<{ code: number; reason: string }> {
    return this.closed ? Promise.resolve(this.closed) : new Promise((r) => this.#closeWaiters.push(r));
  }

  /** Wait for the plan, answer ready, wait for start: the plan and the agreed start instant. */
  async join(): Promise<{ plan: Message; startAt: number }> {
    const plan = await this.next('plan', true);
    this.send({ v: 1, type: 'ready', runId: plan.runId });
    const start = await this.next('start', true);
    return { plan, startAt: start.startAt as number };
  }

  snapshot(runId: unknown, snapshot: IntervalSnapshot): void {
    this.send({ v: 1, type: 'snapshot', runId, snapshot });
  }

  done(runId: unknown, shares: number[], lastSeq: number): void {
    this.send({ v: 1, type: 'done', runId, results: shares.map((share) => ({ share, lastSeq, interrupted: 0, stoppedEarly: false })) });
  }

  /** Stop reading the socket (the controller's messages pile up on its side), as a peer that never reads would. */
  stopReading(): void {
    // ws keeps its net.Socket private; pausing it is what a peer that does not read looks like from the other end.
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  close(): void {
    this.ws.close();
  }

  terminate(): void {
    this.ws.terminate();
  }

  #receive(raw: string): void {
    let msg: Message;
    try {
      msg = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    this.received.push(msg);
    if (msg.type === 'ping' && this.autoPong) this.send({ v: 1, type: 'pong', id: msg.id, t: msg.t, time: Date.now() });
    for (const w of [...this.#waiters]) {
      if (w.type === msg.type) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(msg);
      }
    }
  }
}

/** What one request name did in a fake snapshot: latencies in µs (each one ok), plus failures by kind. */
export interface FakeEndpoint {
  latenciesUs: number[];
  errors?: Record<string, number>;
}

/** An honest snapshot of `share` for `second`: counts match the histograms. */
export function fakeSnapshot(share: number, seq: number, second: number, endpoints: Record<string, FakeEndpoint>): IntervalSnapshot {
  const out: IntervalSnapshot['endpoints'] = {};
  for (const [name, ep] of Object.entries(endpoints)) {
    const h = createHistogram();
    for (const v of ep.latenciesUs) recordMicros(h, v);
    const failed = Object.values(ep.errors ?? {}).reduce((a, b) => a + b, 0);
    const encoded = encodeHistogram(h);
    out[name] = { requests: ep.latenciesUs.length, ok: ep.latenciesUs.length - failed, failed, bytes: 0, errors: ep.errors ?? {}, latency: encoded, serviceTime: encoded, ttfb: encoded };
  }
  return { share, seq, second, vus: 1, dropped: 0, endpoints: out, generator: { lagMaxMs: 0, lagMeanMs: 0, utilization: 0 } };
}
