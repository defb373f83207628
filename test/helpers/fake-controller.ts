/**
 * A fake controller: a WebSocket server on 127.0.0.1:0 that speaks the real
 * protocol to one real `novaload agent` (welcome, pongs to its pings) and
 * sends it whatever plans a test wants, honest or not, so the agent's own
 * defences can be driven without the real controller's checks in the way.
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

type Message = { v: number; type: string; [k: string]: unknown };

/** One fake controller and the one agent connection it accepts. */
export class FakeController {
  readonly received: Message[] = [];
  #ws: WebSocket | null = null;
  readonly #waiters: { type: string; resolve: (m: Message) => void }[] = [];
  #connected!: Promise<void>;

  private constructor(private readonly server: WebSocketServer) {
    this.#connected = new Promise((resolve) => {
      server.once('connection', (ws) => {
        this.#ws = ws;
        ws.on('message', (data) => this.#receive(JSON.parse(data.toString()) as Message));
        resolve();
      });
    });
  }

  /** Listen on a free loopback port. */
  static async start(): Promise<FakeController> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    return new FakeController(server);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Wait for the agent's hello and welcome it. */
  async accept(): Promise<Message> {
    await this.#connected;
    const hello = await this.next('hello');
    this.send({ v: 1, type: 'welcome', agentId: 'agent-1' });
    return hello;
  }

  send(msg: object): void {
    this.#ws?.send(JSON.stringify(msg));
  }

  /** The first message of `type` not yet taken by an earlier call (pings are answered, never queued). */
  next(type: string): Promise<Message> {
    const i = this.received.findIndex((m) => m.type === type);
    if (i >= 0) return Promise.resolve(this.received.splice(i, 1)[0]!);
    return new Promise((resolve) => this.#waiters.push({ type, resolve }));
  }

  async close(): Promise<void> {
    for (const ws of this.server.clients) ws.terminate();
    await new Promise((resolve) => this.server.close(resolve));
  }

  #receive(msg: Message): void {
    if (msg.type === 'ping') return this.send({ v: 1, type: 'pong', id: msg.id, t: msg.t, time: Date.now() });
    const w = this.#waiters.findIndex((x) => x.type === msg.type);
    if (w >= 0) this.#waiters.splice(w, 1)[0]!.resolve(msg);
    else this.received.push(msg);
  }
}
