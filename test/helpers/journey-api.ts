/**
 * A loopback API for user journeys, like QuickPizza's: log in with user and
 * password for a token (a wrong password answers 200 without one, as real
 * APIs do), create an item for an id, read it back by id, and a route that
 * wants a secret bearer token; an item can be deleted (a teardown's cleanup). It counts what it saw, so a test compares
 * the report's counts with the server's.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { requestUrl } from './servers.js';

/** What the API saw, by route. */
export interface JourneyCounts {
  logins: number;
  /** Logins that answered without a token. */
  failedLogins: number;
  /** Logins by the user name they gave, failed ones included. */
  loginsByUser: Record<string, number>;
  creates: number;
  /** Reads of an item that exists, by an authorised user. */
  reads: number;
  /** The URL of each such read, query included. */
  readUrls: string[];
  /** Requests refused for a missing or wrong token (401). */
  unauthorized: number;
  /** Requests to /secret whose bearer token was the expected secret. */
  secretOk: number;
  /** Requests to /whoami, as (vu, iteration) pairs from the query. */
  whoami: { vu: number; iteration: number }[];
  /** Every authorization header seen, as sent. */
  authorizations: string[];
  /** Items deleted (DELETE /items/ID by an authorised user). */
  deletes: number;
}

export interface JourneyApi {
  url: string;
  counts: JourneyCounts;
  /** Resolves once the API has served `n` reads; rejects after `timeoutMs`. */
  whenReads(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Start the API on 127.0.0.1:0. `password(user)` is each user's password; `secret` the token /secret wants;
 * `beforeLogin(user)` is awaited before a login is answered (a test acts while a request is in flight).
 */
export async function startJourneyApi(opts: { secret?: string; password?: (user: string) => string; beforeLogin?: (user: string) => Promise<void> } = {}): Promise<JourneyApi> {
  const password = opts.password ?? ((user: string) => `pw-${user}`);
  const counts: JourneyCounts = { logins: 0, failedLogins: 0, loginsByUser: {}, creates: 0, reads: 0, readUrls: [], unauthorized: 0, secretOk: 0, whoami: [], authorizations: [], deletes: 0 };
  const tokens = new Set<string>();
  const items = new Map<number, { id: number; name: string }>();
  const sockets = new Set<Socket>();
  const readWaiters: { n: number; resolve: () => void }[] = [];
  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const answerLogin = (res: ServerResponse, user: unknown, given: unknown): void => {
    if (typeof user !== 'string' || given !== password(user)) {
      counts.failedLogins++;
      return send(res, 200, { error: 'login failed' });
    }
    const token = `tok-${user}-${tokens.size}`;
    tokens.add(token);
    send(res, 200, { token }, { 'set-cookie': `session=${token}; Path=/; HttpOnly` });
  };
  const handle = (req: IncomingMessage, res: ServerResponse, text: string): void => {
    const url = requestUrl(req.url);
    const auth = req.headers.authorization;
    if (auth !== undefined) counts.authorizations.push(auth);
    const authorised = auth !== undefined && tokens.has(auth.replace(/^Bearer /, ''));
    if (req.method === 'POST' && url.pathname === '/login') {
      counts.logins++;
      const { user, password: given } = JSON.parse(text || '{}') as { user?: string; password?: string };
      const who = String(user);
      counts.loginsByUser[who] = (counts.loginsByUser[who] ?? 0) + 1;
      if (opts.beforeLogin) return void opts.beforeLogin(String(user)).then(() => answerLogin(res, user, given));
      return answerLogin(res, user, given);
    }
    if (url.pathname === '/secret') {
      if (auth === `Bearer ${opts.secret}`) {
        counts.secretOk++;
        return send(res, 200, { ok: true });
      }
      counts.unauthorized++;
      return send(res, 401, { error: 'bad token' });
    }
    if (url.pathname === '/whoami') {
      counts.whoami.push({ vu: Number(url.searchParams.get('vu')), iteration: Number(url.searchParams.get('iteration')) });
      return send(res, 200, { ok: true });
    }
    if (!authorised) {
      counts.unauthorized++;
      return send(res, 401, { error: 'no token' });
    }
    if (req.method === 'POST' && url.pathname === '/items') {
      counts.creates++;
      const id = items.size + 1;
      const { name } = JSON.parse(text || '{}') as { name?: string };
      items.set(id, { id, name: String(name) });
      return send(res, 201, { id, name }, { location: `/items/${id}` });
    }
    const m = /^\/items\/(\d+)$/.exec(url.pathname);
    const item = m ? items.get(Number(m[1])) : undefined;
    if (req.method === 'DELETE' && item) {
      counts.deletes++;
      items.delete(item.id);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' && item) {
      counts.reads++;
      counts.readUrls.push(req.url ?? '');
      for (const w of readWaiters.filter((w) => counts.reads >= w.n)) w.resolve();
      return send(res, 200, item);
    }
    return send(res, 404, { error: 'not found' });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString()));
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    whenReads: (n, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        if (counts.reads >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`the API served ${counts.reads} reads, not ${n}, within ${timeoutMs} ms`)), timeoutMs);
        readWaiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
