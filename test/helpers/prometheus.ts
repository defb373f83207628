/**
 * A real Prometheus (Debian's `prometheus` package) on loopback for the
 * remote-write and /metrics tests: a free port, a throwaway TSDB, the
 * remote-write receiver on (and, given a target, a 1 s scrape of its
 * /metrics), ready when it says so; and its HTTP query API.
 */
import { spawn, spawnSync } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './cli.js';

/** Why the Prometheus tests cannot run here (no binary), or false when they can. */
export const NO_PROMETHEUS: string | false = spawnSync('prometheus', ['--version']).status === 0 ? false : 'no prometheus on PATH (Debian: apt-get install prometheus)';

/** One series of an instant query: its labels and value. */
export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface Prometheus {
  /** The remote-write endpoint. */
  writeUrl: string;
  /** An instant PromQL query at now. */
  query(expr: string): Promise<Sample[]>;
  close(): Promise<void>;
}

/** A port that was free a moment ago (bound to 0, then closed), for a program that takes no port 0. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Start Prometheus and wait (at most 20 s) until it logs that it serves; `features` go to --enable-feature; `scrape`: host:port whose /metrics it scrapes every second (job "novaload"). */
export async function startPrometheus(features: string[] = [], scrape?: string): Promise<Prometheus> {
  const dir = await tempDir();
  const config = join(dir, 'prometheus.yml');
  const job = `scrape_configs:\n  - job_name: novaload\n    metrics_path: /metrics\n    static_configs:\n      - targets: ['${scrape}']\n`;
  await writeFile(config, scrape === undefined ? 'global: {}\n' : `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\n${job}`);
  const port = await freePort();
  const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--web.enable-remote-write-receiver', ...features.map((f) => `--enable-feature=${f}`)];
  const child = spawn('prometheus', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`prometheus not ready within 20 s:\n${log}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      log += d;
      if (log.includes('Server is ready to receive web requests')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`prometheus exited ${code} before it was ready:\n${log}`));
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const ready = await fetch(`${base}/-/ready`);
  if (!ready.ok) throw new Error(`prometheus /-/ready answered ${ready.status}`);
  return {
    writeUrl: `${base}/api/v1/write`,
    async query(expr) {
      const res = await fetch(`${base}/api/v1/query?${new URLSearchParams({ query: expr })}`);
      const body = (await res.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error}`);
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async close() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
