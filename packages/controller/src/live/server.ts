/**
 * The dashboard's HTTP server: the page, its Server-Sent Events stream, the
 * final HTML report and /metrics, each behind the token when one is set
 * (`?token=` or `Authorization: Bearer`). SSE rather than WebSocket: the
 * page only listens, EventSource reconnects by itself, and it is plain HTTP
 * on the same server, so one token check covers every route.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CliError, EXIT } from '../exit-codes.js';
import { bearerOf, tokenEquals } from '../remote/auth.js';

/** What the routes serve; each is read when asked. */
export interface DashboardRoutes {
  page(): string;
  /** The latest message for a page that just connected (all of its seconds), or null before any run started. */
  hello(): string | null;
  /** The final HTML report of the latest run, or null while it runs. */
  report(): string | null;
  metrics(): Promise<{ contentType: string; text: string }>;
}

/** Bytes a page may leave unread before it is cut off: a stalled tab never grows the controller's memory. */
const MAX_UNREAD = 4 * 1024 * 1024;

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:";

/** The listening server and the pages connected to its stream. */
export class DashboardServer {
  readonly #clients = new Set<ServerResponse>();

  private constructor(private readonly server: Server, readonly url: string) {}

  /** Listen; a taken port or unusable address is exit 107 (could not start), before any load. */
  static async listen(host: string, port: number, token: string | undefined, routes: DashboardRoutes): Promise<DashboardServer> {
    let self: DashboardServer | undefined;
    const server = createServer((req, res) => void self?.handle(req, res, token, routes));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: Error & { code?: string }) =>
        reject(new CliError(`--dashboard: cannot listen on ${host}:${port}: ${err.code ?? err.message}${err.code === 'EADDRINUSE' ? ' (port taken; choose another, e.g. --dashboard 127.0.0.1:0 for any free port)' : ''}`, EXIT.couldNotStart)),
      );
      server.listen(port, host, () => resolve());
    });
    const address = server.address() as { port: number };
    self = new DashboardServer(server, `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`);
    return self;
  }

  /** Send one message to every open page. */
  broadcast(data: string): void {
    for (const res of this.#clients) {
      if (res.writableLength > MAX_UNREAD) res.destroy();
      else res.write(`data: ${data}\n\n`);
    }
  }

  async close(): Promise<void> {
    for (const res of this.#clients) res.end();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  async handle(req: IncomingMessage, res: ServerResponse, token: string | undefined, routes: DashboardRoutes): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (token !== undefined && !tokenEquals(url.searchParams.get('token') ?? bearerOf(req), token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end('novaload dashboard: missing or wrong token: open the page with ?token=<the run\'s token> (--token or NOVALOAD_TOKEN), or send Authorization: Bearer <token>\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { allow: 'GET' }).end();
    switch (url.pathname) {
      case '/':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP, 'cache-control': 'no-store' }).end(routes.page());
        return;
      case '/events':
        return this.#stream(res, routes.hello());
      case '/report.html': {
        const html = routes.report();
        if (html === null) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('novaload dashboard: the run is still going; its final report is served here when it ends\n');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
        return;
      }
      case '/metrics': {
        const { contentType, text } = await routes.metrics();
        res.writeHead(200, { 'content-type': contentType }).end(text);
        return;
      }
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('novaload dashboard: no such page (/, /events, /report.html, /metrics)\n');
    }
  }

  #stream(res: ServerResponse, hello: string | null): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    if (hello !== null) res.write(`data: ${hello}\n\n`);
    this.#clients.add(res);
    res.on('close', () => this.#clients.delete(res));
  }
}
