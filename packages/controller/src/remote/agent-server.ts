/**
 * The controller's WebSocket endpoint for agents: listens (ws, or wss with
 * --tls-cert/--tls-key), refuses an upgrade without the right token before a
 * single message, and gathers authenticated agents (hello → welcome). Until
 * its hello, a connection is a stranger's: it has HANDSHAKE_MS from accept,
 * and at most `handshakeCap` of them are held (the oldest makes room), so
 * idle sockets can neither exhaust the descriptors nor lock agents out.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE, type AgentMessage } from '@novaload/agent';
import { CliError, EXIT } from '../exit-codes.js';
import { AgentLink } from './agent-link.js';
import { tokenMatches } from './auth.js';
import { HANDSHAKE_MS } from './limits.js';
import { RefusalLog } from './refusals.js';

export interface ListenOptions {
  host: string;
  port: number;
  token?: string;
  tls?: { cert: string; key: string };
  /** ws `maxPayload`: the largest message an agent may send (limits.ts maxMessageBytes). */
  maxMessageBytes: number;
  /** Connections in their handshake held at once (limits.ts handshakeCap). */
  handshakeCap: number;
  log(line: string): void;
}

/** A connection that has not said hello yet, keyed by its remote address and port (the same for TLS and TCP). */
interface Handshake {
  socket: Socket;
  timer: NodeJS.Timeout;
  link?: AgentLink;
}

export class AgentServer {
  readonly #joined: AgentLink[] = [];
  readonly #handshakes = new Map<string, Handshake>();
  readonly #refusals: RefusalLog;
  #onJoin: (() => void) | null = null;
  /** Set once waitForAgents has its agents: later ones are told they are not needed. */
  #wanted: number | null = null;
  #nextId = 1;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
    private readonly opts: ListenOptions,
  ) {
    this.#refusals = new RefusalLog(opts.log);
    server.on('connection', (socket: Socket) => this.#accept(socket));
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.#upgrade(req, socket, head));
  }

  /** Listen for agents; a taken port or unusable address is exit 107 (could not start). */
  static async listen(opts: ListenOptions): Promise<AgentServer> {
    const server = opts.tls ? createHttpsServer({ cert: opts.tls.cert, key: opts.tls.key }) : createHttpServer();
    server.on('request', (_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('novaload controller: connect with a novaload agent (WebSocket)\n'));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: Error & { code?: string }) =>
        reject(new CliError(`cannot listen on ${opts.host}:${opts.port}: ${err.code ?? err.message}${err.code === 'EADDRINUSE' ? ' (port taken; choose another with --listen)' : ''}`, EXIT.couldNotStart)),
      );
      server.listen(opts.port, opts.host, () => resolve());
    });
    const address = server.address() as { port: number };
    const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
    const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes });
    return new AgentServer(server as Server, wss, `${opts.tls ? 'wss' : 'ws'}://${host}:${address.port}`, opts);
  }

  /** Wait until `n` agents have joined; exit 107 if they do not all come within `timeoutMs`. */
  async waitForAgents(n: number, timeoutMs: number): Promise<AgentLink[]> {
    const live = (): AgentLink[] => this.#joined.filter((l) => l.gone === null);
    if (live().length < n) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#onJoin = null;
          reject(new CliError(`only ${live().length} of ${n} agents connected within ${Math.round(timeoutMs / 1000)} s; no request was sent`, EXIT.couldNotStart));
        }, timeoutMs);
        this.#onJoin = () => {
          if (live().length < n) return;
          clearTimeout(timer);
          this.#onJoin = null;
          resolve();
        };
      });
    }
    this.#wanted = n;
    for (const surplus of live().slice(n)) this.#release(surplus);
    return live().slice(0, n);
  }

  async close(): Promise<void> {
    this.#refusals.flush();
    for (const h of this.#handshakes.values()) h.socket.destroy();
    for (const l of this.#joined) if (l.gone === null) l.close('controller closing');
    this.wss.close();
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Every TCP connection starts its handshake deadline; over the cap, the oldest handshake is closed. */
  #accept(socket: Socket): void {
    const key = keyOf(socket);
    if (this.#handshakes.size >= this.opts.handshakeCap) {
      const [oldest, h] = this.#handshakes.entries().next().value as [string, Handshake];
      this.#forget(oldest);
      h.socket.destroy();
      this.#refusals.refused(`over the cap of ${this.opts.handshakeCap} connections in their handshake`, `from ${oldest}`);
    }
    const timer = setTimeout(() => {
      const h = this.#handshakes.get(key);
      this.#forget(key);
      this.#refusals.refused(`no hello within ${HANDSHAKE_MS / 1000} s of connecting`, `from ${key}`);
      if (h?.link) h.link.drop(`no hello within ${HANDSHAKE_MS / 1000} s of connecting`, CLOSE.badMessage, true);
      socket.destroy();
    }, HANDSHAKE_MS);
    this.#handshakes.set(key, { socket, timer });
    socket.once('close', () => {
      if (this.#handshakes.get(key)?.socket === socket) this.#forget(key);
    });
  }

  #forget(key: string): void {
    clearTimeout(this.#handshakes.get(key)?.timer);
    this.#handshakes.delete(key);
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const key = keyOf(req.socket);
    if (!tokenMatches(req, this.opts.token)) {
      this.#refusals.refused('missing or wrong token (HTTP 401)', `from ${key}`);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const link = new AgentLink(`agent-${this.#nextId++}`, ws, this.opts.log, this.opts.maxMessageBytes);
      const h = this.#handshakes.get(key);
      if (h) h.link = link;
      this.#greet(link, key);
    });
  }

  /** The first message must be a hello; then the agent is welcomed and counted, under a name no other live agent has. */
  #greet(link: AgentLink, key: string): void {
    link.handler = {
      message: (msg: AgentMessage) => {
        if (msg.type !== 'hello') return link.drop(`expected hello, got "${msg.type}"`, CLOSE.badMessage, true);
        this.#forget(key);
        link.name = this.#uniqueName(msg.name, link.id);
        link.threads = msg.threads;
        if (this.#wanted !== null) return this.#release(link);
        link.handler = { message: () => {}, lost: () => this.#onJoin?.() };
        link.send({ v: 1, type: 'welcome', agentId: link.id });
        this.#joined.push(link);
        this.opts.log(`agent ${link.label} joined with ${link.threads} thread(s)`);
        this.#onJoin?.();
      },
      lost: () => {},
    };
  }

  /** `name`, or `name#2`, `name#3`… when a live agent already has it, so the report tells them apart. */
  #uniqueName(name: string, id: string): string {
    const taken = new Set(this.#joined.filter((l) => l.gone === null).map((l) => l.name));
    let unique = name;
    for (let k = 2; taken.has(unique); k++) unique = `${name}#${k}`;
    if (unique !== name) this.opts.log(`agent ${id} gave the name "${name}", which another agent has: it is "${unique}" in the report (give each agent its own --name)`);
    return unique;
  }

  /** An agent the run does not need: told so (an agent with --once exits 0), and let go. */
  #release(link: AgentLink): void {
    const reason = `not needed: the controller already has the ${this.#wanted} agent(s) it waits for`;
    this.opts.log(`agent ${link.label} ${reason}; sending it away`);
    link.send({ v: 1, type: 'leave', reason });
    link.close(reason);
  }
}

function keyOf(socket: { remoteAddress?: string; remotePort?: number }): string {
  return `${socket.remoteAddress}:${socket.remotePort}`;
}
