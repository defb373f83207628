/**
 * A bench target as its own process (pinned by the harness to another core
 * than the generator): `node server.js fast|json|delay|stall [delayMs|stallAfterMs]`.
 * It listens on 127.0.0.1 port 0, prints `{"port":N}` on stdout, and keeps
 * its own measurements for `GET /__stats` (which also resets them):
 *   fast   answers a 2-byte 200 at once (when nginx is not installed);
 *   json   answers a small fixed JSON object at once (a token, an id, a
 *          name), what the journey rows capture and check;
 *   delay  answers after a fixed delay and records its own service time
 *          (request headers in → response finished), in µs;
 *   stall  answers at once, except that from `stallAfterMs` after the first
 *          request it stalls for 1 s once: everything received then is
 *          answered when the stall ends. Its stats give the stall window.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

const kind = process.argv[2] ?? 'fast';
const param = Number(process.argv[3] ?? (kind === 'delay' ? 10 : 2000));
const STALL_MS = 1000;
/** At most this many service times are kept (a ring), so memory stays bounded. */
const MAX_SAMPLES = 2_000_000;

const samples = new Float64Array(MAX_SAMPLES);
let count = 0;
let firstAt = NaN;
let stallFrom = NaN;

function stats(): Record<string, number> {
  const n = Math.min(count, MAX_SAMPLES);
  const sorted = samples.slice(0, n).sort();
  const at = (p: number): number => (n === 0 ? 0 : Math.round(sorted[Math.min(n - 1, Math.ceil((p / 100) * n) - 1)]) / 1000);
  const out = { requests: count, p50: at(50), p95: at(95), p99: at(99), stallFromMs: stallFrom - firstAt, stallMs: Number.isNaN(stallFrom) ? 0 : STALL_MS };
  count = 0;
  firstAt = stallFrom = NaN;
  return out;
}

const JSON_BODY = Buffer.from(JSON.stringify({ token: 'tok-0123456789abcdef', id: 7, name: 'item-7' }));

function ok(res: ServerResponse): void {
  if (kind === 'json') {
    res.setHeader('content-type', 'application/json');
    res.setHeader('content-length', JSON_BODY.length);
    res.end(JSON_BODY);
    return;
  }
  res.setHeader('content-length', 2);
  res.end('ok');
}

const server = createServer((req, res) => {
  if (req.url === '/__stats') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(stats()));
    return;
  }
  const t0 = performance.now();
  if (Number.isNaN(firstAt)) firstAt = t0;
  if (kind === 'delay') {
    res.on('finish', () => {
      samples[count++ % MAX_SAMPLES] = (performance.now() - t0) * 1000;
    });
    setTimeout(ok, param, res);
    return;
  }
  count++;
  if (kind === 'stall') {
    if (Number.isNaN(stallFrom) && t0 - firstAt >= param) stallFrom = t0;
    const stallEnd = stallFrom + STALL_MS;
    if (t0 < stallEnd) return void setTimeout(ok, stallEnd - t0, res);
  }
  ok(res);
});
server.keepAliveTimeout = 60_000;
server.listen({ host: '127.0.0.1', port: 0, backlog: 16384 }, () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
