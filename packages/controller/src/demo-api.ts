/**
 * The embedded demo API behind `novaload demo`: the runbook's endpoints on
 * loopback with small, realistic latencies and a rare deterministic 5xx, so
 * a first run shows a real report whose thresholds pass, with no server to set up.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where to listen and how often to fail. */
export interface DemoApiOptions {
  /** Default 127.0.0.1: the demo is never exposed. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Every n-th request to a known route answers 503 (default 2000, 0.05%); 0 never fails. */
  errorEvery?: number;
}

/** A running demo API. */
export interface DemoApi {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Stop listening and close every connection, idle keep-alive ones included. */
  close(): Promise<void>;
  /** Requests seen so far per "METHOD path" (query excluded), unknown routes included. */
  counts(): Record<string, number>;
}

interface Route {
  /** Base latency, ms; a deterministic 0–4 ms is added per request. */
  delayMs: number;
  status: number;
  reply(body: unknown, seq: number): unknown;
}

const TASKS = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: `task-${i + 1}`, status: i % 3 === 0 ? 'done' : 'open' }));
const SCHEDULES = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, cron: `${i * 5} * * * *`, taskId: (i % 20) + 1 }));

const ROUTES: Record<string, Route> = {
  'GET /api/tasks': { delayMs: 3, status: 200, reply: () => ({ tasks: TASKS }) },
  'GET /api/schedules': { delayMs: 4, status: 200, reply: () => ({ schedules: SCHEDULES }) },
  'GET /api/users/profile': { delayMs: 2, status: 200, reply: () => ({ id: 7, name: 'Demo User', plan: 'pro' }) },
  'POST /api/tasks': { delayMs: 5, status: 201, reply: (body, seq) => ({ id: 1000 + seq, ...(typeof body === 'object' && body !== null ? body : {}), status: 'open' }) },
  'POST /api/heavy-operation': { delayMs: 30, status: 200, reply: (_body, seq) => ({ operation: seq, result: 'done', items: 250 }) },
};
const KNOWN_PATHS = new Set(Object.keys(ROUTES).map((k) => k.slice(k.indexOf(' ') + 1)));

/** Start the demo API; resolves once it listens. */
export async function startDemoApi(opts: DemoApiOptions = {}): Promise<DemoApi> {
  const errorEvery = opts.errorEvery ?? 2000;
  const counts: Record<string, number> = {};
  let seq = 0;
  const pending = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const key = `${req.method} ${path}`;
    counts[key] = (counts[key] ?? 0) + 1;
    const route = ROUTES[key];
    if (!route) {
      drain(req, () => send(res, KNOWN_PATHS.has(path) ? 405 : 404, { error: KNOWN_PATHS.has(path) ? 'method not allowed' : 'not found', path }));
      return;
    }
    const n = ++seq;
    readJson(req, (body, bad) => {
      const timer = setTimeout(() => {
        pending.delete(timer);
        if (bad) send(res, 400, { error: 'body is not JSON' });
        else if (errorEvery > 0 && n % errorEvery === 0) send(res, 503, { error: 'service unavailable', retryAfter: 1 });
        else send(res, route.status, route.reply(body, n));
      }, route.delayMs + (n % 5));
      pending.add(timer);
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of pending) clearTimeout(timer);
        pending.clear();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Read the body (up to 1 MB) and parse it when it is JSON; an empty body is undefined. */
function readJson(req: IncomingMessage, done: (body: unknown, bad: boolean) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (c: Buffer) => {
    size += c.length;
    if (size <= 1_048_576) chunks.push(c);
  });
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    if (text === '' || !/json/.test(req.headers['content-type'] ?? '')) return done(undefined, false);
    try {
      done(JSON.parse(text), false);
    } catch {
      done(undefined, true);
    }
  });
}

function drain(req: IncomingMessage, then: () => void): void {
  req.resume();
  req.on('end', then);
}
