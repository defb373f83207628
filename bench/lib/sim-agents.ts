/**
 * Simulated `novaload agent`s for the controller-scale bench: many agents
 * in this one process, each its own WebSocket speaking the real protocol
 * (hello, plan → ready, ping → pong, start, snapshot, done), so the
 * controller under test pays for parsing, checking and merging exactly
 * what real agents would make it pay for, and nothing else runs load.
 */
import { WebSocket } from 'ws';

type Message = { type: string; [k: string]: unknown };

/** One simulated agent: its shares once planned, and the agreed start. */
export class SimAgent {
  shares: number[] = [];
  runId = '';
  readonly #started: Promise<number>;

  private constructor(readonly ws: WebSocket) {
    let started!: (at: number) => void;
    this.#started = new Promise((r) => (started = r));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as Message;
      if (msg.type === 'ping') this.#send({ v: 1, type: 'pong', id: msg.id, t: msg.t, time: Date.now() });
      else if (msg.type === 'plan') {
        this.runId = msg.runId as string;
        this.shares = msg.shares as number[];
        this.#send({ v: 1, type: 'ready', runId: this.runId });
      } else if (msg.type === 'start') started(msg.startAt as number);
    });
    ws.on('error', () => {});
  }

  /** Connect and say hello with `threads` threads; resolves once the hello is sent. */
  static connect(url: string, name: string, threads: number): Promise<SimAgent> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        const agent = new SimAgent(ws);
        agent.#send({ v: 1, type: 'hello', name, threads });
        resolve(agent);
      });
      ws.once('error', reject);
    });
  }

  /** The start instant (controller clock, as agents are told it; Date.now() here since offsets are ~0 on one host). */
  started(): Promise<number> {
    return this.#started;
  }

  /** Send one snapshot of `share` for `second` with a prebuilt `endpoints` JSON body. */
  snapshot(share: number, seq: number, second: number, endpointsJson: string, vus: number): void {
    const head = `{"v":1,"type":"snapshot","runId":${JSON.stringify(this.runId)},"snapshot":{"share":${share},"seq":${seq},"second":${second},"vus":${vus},"dropped":0,"endpoints":`;
    this.ws.send(`${head}${endpointsJson},"generator":{"lagMaxMs":1.5,"lagMeanMs":0.2,"utilization":0.4}}}`);
  }

  /** End of run for all its shares, last seq `lastSeq`. */
  done(lastSeq: number): void {
    this.#send({ v: 1, type: 'done', runId: this.runId, results: this.shares.map((share) => ({ share, lastSeq, interrupted: 0, stoppedEarly: false })) });
  }

  /** Bytes handed to the socket and not yet written: the feeder is ahead of the controller when it grows. */
  get buffered(): number {
    return this.ws.bufferedAmount;
  }

  close(): void {
    this.ws.close();
  }

  #send(msg: object): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }
}
