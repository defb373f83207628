/**
 * Targets on loopback for the bench, each its own process pinned to core 0
 * (the generators run on core 1): nginx with a tiny config returning a
 * 2-byte 200 when it is installed (its own prefix, config and logs in a
 * temporary directory), else the built-in Node target; nginx over TLS
 * with a certificate made by openssl at bench time, with h2 beside
 * HTTP/1.1 or without; and the Node targets with a fixed delay or a
 * one-time stall (targets/server.ts).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { host } from './proc.js';

/** A running target: its URL, its own measurements (Node targets), and how to stop it. */
export interface Target {
  name: string;
  url: string;
  /** HTTPS targets: the self-signed certificate to trust (PEM file). */
  caFile?: string;
  /** The server's own figures since the last call (and a reset); null for nginx. */
  stats(): Promise<ServerStats | null>;
  stop(): Promise<void>;
}

/** What a Node target measured itself (ms, µs precision). */
export interface ServerStats {
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  stallFromMs: number;
  stallMs: number;
}

const serverJs = fileURLToPath(new URL('../targets/server.js', import.meta.url));
/** `cmd args` pinned to `core` with taskset when the machine has it (targets: core 0). */
export const pin = (cmd: string, args: string[], core = '0'): [string, string[]] => (host.taskset ? ['taskset', ['-c', core, cmd, ...args]] : [cmd, args]);

/** The first line a child prints on stdout, parsed as JSON; rejects (and kills the child) after `ms` or when it exits without one. */
export function firstJsonLine<T>(child: ChildProcess, what: string, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const fail = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`${what} printed nothing in ${ms} ms`))), ms);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl === -1) return;
      clearTimeout(fail);
      try {
        resolve(JSON.parse(buf.slice(0, nl)) as T);
      } catch (err) {
        reject(err as Error);
      }
    });
    child.on('exit', (code) => (clearTimeout(fail), buf.includes('\n') || reject(new Error(`${what} exited (${code}) before printing`))));
  });
}

/** The nginx binary when installed, else null. */
export function findNginx(): string | null {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx']) {
    if (spawnSync(p, ['-v'], { stdio: 'ignore' }).status === 0) return p;
  }
  return null;
}

/** A free loopback port (nginx cannot listen on port 0; the port is taken again at once, a small race). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once the port accepts a connection; rejects after `ms`. */
async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (let i = 0; i < 200 && Date.now() < until; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1', () => (c.end(), resolve(true)));
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => (clearTimeout(kill), resolve()));
    child.kill('SIGTERM');
  });
}

/** A self-signed P-256 certificate for 127.0.0.1 made by openssl in `dir`: its key and certificate files. */
function selfSigned(dir: string): { key: string; cert: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
  const r = spawnSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl could not make the bench certificate: ${r.stderr || r.error?.message}`);
  return { key, cert };
}

/** Whether openssl is on PATH (the TLS targets need it). */
export function hasOpenssl(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

/**
 * nginx, one worker, returning "ok" to every request; its files live in a
 * temporary prefix. `tls`: over TLS with a certificate made here, with h2
 * offered by ALPN beside HTTP/1.1 (`"h2"`) or HTTP/1.1 only (`"h1"`).
 */
export async function startNginx(binary: string, tls?: 'h1' | 'h2'): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'novaload-bench-nginx-'));
  mkdirSync(join(dir, 'logs'));
  const port = await freePort();
  const pem = tls && selfSigned(dir);
  const listen = `listen 127.0.0.1:${port}${tls ? ` ssl${tls === 'h2' ? ' http2' : ''}` : ''} backlog=16384;${pem ? ` ssl_certificate ${pem.cert}; ssl_certificate_key ${pem.key};` : ''}`;
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `  ${k}_temp_path ${join(dir, k)};`).join('\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;\ndaemon off;\nmaster_process off;\npid ${join(dir, 'nginx.pid')};\nerror_log ${join(dir, 'logs', 'error.log')} warn;\nworker_rlimit_nofile 20000;\n` +
      `events { worker_connections 15000; }\nhttp {\n  access_log off;\n${temp}\n  keepalive_requests 10000000;\n  keepalive_timeout 120s;\n` +
      `  server { ${listen} location / { return 200 "ok"; } }\n}\n`,
  );
  const [cmd, args] = pin(binary, ['-p', dir, '-c', join(dir, 'nginx.conf')]);
  const child = spawn(cmd, args, { stdio: 'ignore' });
  await waitForPort(port, 5000);
  return {
    name: tls ? `nginx TLS${tls === 'h2' ? ' + h2' : ', HTTP/1.1 only'} (2-byte 200)` : 'nginx (2-byte 200)',
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}/`,
    ...(pem && { caFile: pem.cert }),
    stats: async () => null,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One of the Node targets of targets/server.ts on a port of its own choosing. */
export async function startNodeTarget(kind: 'fast' | 'json' | 'delay' | 'stall', param?: number): Promise<Target> {
  const [cmd, args] = pin(process.execPath, [serverJs, kind, ...(param === undefined ? [] : [String(param)])]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const { port } = await firstJsonLine<{ port: number }>(child, `${kind} target`, 5000);
  const url = `http://127.0.0.1:${port}/`;
  const names = { fast: 'Node (2-byte 200)', json: 'Node (fixed JSON object)', delay: `Node (${param ?? 10} ms delay)`, stall: 'Node (1 s stall once)' };
  return {
    name: names[kind],
    url,
    stats: async () => (await (await fetch(`${url}__stats`)).json()) as ServerStats,
    stop: () => stopChild(child),
  };
}
