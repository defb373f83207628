/**
 * The controller's WebSocket endpoint for agents: listens (ws, or wss with
 * --tls-cert/--tls-key), refuses an upgrade without the right token before a
 * single message, and gathers authenticated agents (hello → welcome).
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { CLOSE, type AgentMessage } from '@novaload/agent';
import { CliError, EXIT } from '../exit-codes.js';
import { AgentLink } from './agent-link.js';
import { tokenMatches } from './auth.js';

export interface ListenOptions {
  host: string;
  port: number;
  token?: string;
  tls?: { cert: string; key: string };
  log(line: string): void;
}

export class AgentServer {
  readonly #joined: AgentLink[] = [];
  #onJoin: (() => void) | null = null;
  #nextId = 1;

  private constructor(
    private readonly server: Server,
    private readonly wss: WebSocketServer,
    readonly url: string,
    private readonly opts: ListenOptions,
  ) {
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
    const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 * 1024 });
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
    return live().slice(0, n);
  }

  async close(): Promise<void> {
    for (const l of this.#joined) if (l.gone === null) l.close('controller closing');
    this.wss.close();
    this.server.closeAllConnections?.();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const from = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    if (!tokenMatches(req, this.opts.token)) {
      this.opts.log(`refused an agent from ${from}: missing or wrong token`);
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws: WebSocket) => this.#greet(new AgentLink(`agent-${this.#nextId++}`, ws, this.opts.log)));
  }

  /** The first message must be a hello; then the agent is welcomed and counted. */
  #greet(link: AgentLink): void {
    const timer = setTimeout(() => link.drop('no hello within 5 s', CLOSE.badMessage), 5000);
    link.handler = {
      message: (msg: AgentMessage) => {
        if (msg.type !== 'hello') return link.drop(`expected hello, got "${msg.type}"`, CLOSE.badMessage);
        clearTimeout(timer);
        link.name = msg.name;
        link.threads = msg.threads;
        link.handler = { message: () => {}, lost: () => this.#onJoin?.() };
        link.send({ v: 1, type: 'welcome', agentId: link.id });
        this.#joined.push(link);
        this.opts.log(`agent ${link.label} joined with ${link.threads} thread(s)`);
        this.#onJoin?.();
      },
      lost: () => clearTimeout(timer),
    };
  }
}
