/**
 * The generators side by side: how each is invoked for a load and how its
 * output is read. novaload and autocannon come with the workspace; wrk,
 * wrk2 and h2load are used when on PATH (wrk2 as `wrk2`, or a `wrk` whose
 * help offers --rate), otherwise skipped with a note.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { remoteWriteSink } from './rw-sink.js';
import { writeBenchScenario, type ScenarioKind } from './journey.js';
import { runMeasured, type Measured } from './proc.js';

/** A load to generate: closed loop with `connections`, or open at `rate`/s when set. */
export interface Load {
  url: string;
  connections: number;
  durationS: number;
  rate?: number;
  /** Use every core (the tool's threads/workers) instead of one pinned core. */
  allCores?: boolean;
  /** novaload and baseline only: `run` this scenario (lib/journey.ts) instead of `bench`. */
  scenario?: ScenarioKind;
  /**
   * An HTTPS load: the CA novaload trusts (NODE_EXTRA_CA_CERTS; the other
   * tools do not verify), the protocol, h2 streams per connection, and the
   * http.version novaload is given (default: "2" for h2, "1.1" for h1).
   */
  https?: { caFile: string; protocol: 'h1' | 'h2'; streams?: number; version?: '1.1' | '2' | 'auto' };
  /** novaload only: flags added to its command line (the live-view row's --dashboard). */
  extraArgs?: string[];
}

/** What one run of a tool gave; latencies in ms, NaN when the tool does not report them. */
export interface ToolResult extends Measured {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  /** novaload only: service time p50 (send → last byte) and whether it flagged itself saturated. */
  serviceP50?: number;
  saturated?: boolean;
}

/** A generator the bench can run. */
export interface Tool {
  name: 'novaload' | 'novaload-auto' | 'novaload-live' | 'autocannon' | 'wrk' | 'wrk2' | 'h2load' | 'undici' | 'baseline';
  /** Why it is not run here, or null when it is. */
  missing: string | null;
  /** Whether it can hold a fixed rate (open model). */
  rates: boolean;
  /** Whether it can run in a closed loop. */
  closed: boolean;
  /** Counts requests only (no latency): used in the CPU and throughput rows, not the accuracy ones. */
  cpuOnly?: boolean;
  run(load: Load): Promise<ToolResult>;
  /** One request and exit, for start-up cost; null when the tool has no such mode. */
  once: ((url: string) => Promise<Measured>) | null;
}

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const novaloadBin = join(repoRoot, 'packages/controller/bin/novaload.js');
const slack = (load: Load): number => load.durationS * 1000 + 30_000;
const cores = (load: Load): string => (load.allCores ? '0,1' : '1');
let outSeq = 0;

function which(name: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function nan(m: Measured, requests: number, durationS: number): ToolResult {
  return { ...m, requests, rps: requests / durationS, p50: NaN, p95: NaN, p99: NaN };
}

/**
 * A novaload CLI reading its JSON report: `bench` for the URL loads, `run`
 * of a scenario file for the journey rows. `bin` is this checkout's or, for
 * the baseline, another build's.
 */
function novaloadRunner(bin: string): Tool['run'] {
  return async (load: Load): Promise<ToolResult> => {
    const out = join(tmpdir(), `novaload-bench-${process.pid}-${outSeq++}.json`);
    // An HTTPS load is a scenario too: bench has no http.version.
    const scenario = load.scenario === undefined && load.https === undefined ? null : writeBenchScenario(tmpdir(), load.scenario ?? 'static', load);
    const args =
      scenario === null
        ? [bin, 'bench', load.url, '-c', String(load.connections), '-d', `${load.durationS}s`, '--out', out, '--quiet']
        : [bin, 'run', scenario, '--out', out, '--quiet'];
    if (load.rate !== undefined) args.push('-R', String(load.rate));
    if (!load.allCores) args.push('--threads', '1');
    if (load.extraArgs) args.push(...load.extraArgs);
    const env = load.https && { NODE_EXTRA_CA_CERTS: load.https.caFile };
    const m = await runMeasured(process.execPath, args, { cores: cores(load), timeoutMs: slack(load), cwd: repoRoot, ...(env && { env }) });
    try {
      const r = JSON.parse(readFileSync(out, 'utf8')) as {
        rps: number; totals: { requests: number };
        latency: { p50: number; p95: number; p99: number }; serviceTime: { p50: number }; generator: { saturated: boolean };
      };
      return { ...m, requests: r.totals.requests, rps: r.rps, p50: r.latency.p50, p95: r.latency.p95, p99: r.latency.p99, serviceP50: r.serviceTime.p50, saturated: r.generator.saturated };
    } catch {
      return nan(m, 0, load.durationS);
    } finally {
      rmSync(out, { force: true });
      if (scenario !== null) rmSync(scenario, { force: true });
    }
  };
}

/** One request and exit, for a build's start-up CPU (subtracted in the rows net of start-up). */
function novaloadOnce(bin: string): (url: string) => Promise<Measured> {
  return (url) => runMeasured(process.execPath, [bin, 'bench', url, '-R', '1000', '-d', '1ms', '--threads', '1', '--quiet'], { cores: '1', timeoutMs: 30_000, cwd: repoRoot });
}

/** novaload's own CLI, this checkout's build. */
function novaload(): Tool {
  const run = novaloadRunner(novaloadBin);
  return { name: 'novaload', missing: null, rates: true, closed: true, run, once: novaloadOnce(novaloadBin) };
}

/**
 * novaload again with `http.version: "auto"` on HTTPS loads, so the rows
 * that decide auto's default measure it against "1.1" in the same round.
 */
function novaloadAuto(): Tool {
  const run = novaloadRunner(novaloadBin);
  return { name: 'novaload-auto', missing: null, rates: false, closed: false, run: (load) => run({ ...load, https: load.https && { ...load.https, version: 'auto' } }), once: null };
}

/**
 * novaload again with its live views on (issue 15, point 5): the dashboard
 * on a loopback port of its own and remote write (at its default 5 s) to a sink in
 * the bench process (rw-sink.ts), which the row's figures must not notice.
 */
function novaloadLive(): Tool {
  const run = novaloadRunner(novaloadBin);
  return {
    name: 'novaload-live', missing: null, rates: false, closed: false, once: null,
    run: async (load) => run({ ...load, extraArgs: [...(load.extraArgs ?? []), '--dashboard', '127.0.0.1:0', '--prometheus-rw', await remoteWriteSink()] }),
  };
}

/**
 * h2load (Debian's nghttp2-client), closed loop: -c connections, -m streams
 * on each, `--h1` for HTTP/1.1 (one request at a time per connection).
 * It prints no percentiles, so it stands in the throughput and CPU rows only.
 */
function h2load(bin: string | null): Tool {
  const run = async (load: Load): Promise<ToolResult> => {
    const h1 = load.https?.protocol !== 'h2';
    const args = ['-c', String(load.connections), '-m', h1 ? '1' : String(load.https?.streams ?? 1), '-t', '1', '-D', String(load.durationS), ...(h1 ? ['--h1'] : [])];
    const m = await runMeasured(bin!, [...args, load.url], { cores: cores(load), timeoutMs: slack(load) });
    // "finished in 10.00s, 81234.56 req/s, …" and "requests: 812345 total, 812400 started, 812345 done, 812345 succeeded, …"
    const finished = /finished in ([\d.]+)s/.exec(m.stdout);
    const done = /requests: \d+ total, \d+ started, (\d+) done/.exec(m.stdout);
    const requests = done ? Number(done[1]) : 0;
    return { ...m, requests, rps: requests / (finished ? Number(finished[1]) : load.durationS), p50: NaN, p95: NaN, p99: NaN };
  };
  return { name: 'h2load', missing: bin ? null : 'h2load is not on PATH (Debian: apt-get install nghttp2-client)', rates: false, closed: false, cpuOnly: true, run, once: null };
}

/**
 * Another build of novaload (`--baseline-dir DIR`, a checkout built with
 * `pnpm run build`), run only by the rows that compare builds: the same
 * scenario, in the same round, by both.
 */
export function baselineTool(dir: string): Tool {
  const bin = join(dir, 'packages/controller/bin/novaload.js');
  const built = existsSync(join(dir, 'packages/controller/dist'));
  return { name: 'baseline', missing: built ? null : `${dir} has no built novaload (run pnpm install && pnpm run build there)`, rates: false, closed: false, run: novaloadRunner(bin), once: novaloadOnce(bin) };
}

/** autocannon from the workspace's devDependencies, reading its `-j` JSON. */
function autocannon(): Tool {
  let bin: string | null = null;
  try {
    bin = createRequire(join(repoRoot, 'package.json')).resolve('autocannon/autocannon.js');
  } catch {
    bin = null;
  }
  const run = async (load: Load): Promise<ToolResult> => {
    const args = [bin!, '-c', String(load.connections), '-d', String(load.durationS), '-j'];
    if (load.rate !== undefined) args.push('-R', String(load.rate));
    if (load.allCores) args.push('-w', '2');
    const m = await runMeasured(process.execPath, [...args, load.url], { cores: cores(load), timeoutMs: slack(load) });
    try {
      const r = JSON.parse(m.stdout.slice(m.stdout.indexOf('{'))) as { '2xx': number; non2xx: number; duration: number; latency: Record<string, number> };
      const requests = r['2xx'] + r.non2xx;
      // autocannon prints no p95: its p97.5 stands in (said in the table's notes).
      return { ...m, requests, rps: requests / r.duration, p50: r.latency.p50, p95: r.latency.p97_5, p99: r.latency.p99 };
    } catch {
      return nan(m, 0, load.durationS);
    }
  };
  const once = (url: string): Promise<Measured> => runMeasured(process.execPath, [bin!, '-a', '1', '-c', '1', '-j', url], { cores: '1', timeoutMs: 30_000 });
  return { name: 'autocannon', missing: bin ? null : 'autocannon is not installed: run pnpm install (it is a root devDependency)', rates: true, closed: true, run, once };
}

const UNIT: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Percentile lines of wrk/wrk2 `--latency` ("50%  1.23ms", "99.000%  4.56ms") in ms. */
function wrkPercentile(text: string, p: number): number {
  const re = new RegExp(`^\\s*${p}(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm');
  const m = re.exec(text);
  return m ? Number(m[1]) * UNIT[m[2]] : NaN;
}

/** wrk (closed loop) or wrk2 (fixed rate, `-R`), one thread per core used. */
function wrkFamily(name: 'wrk' | 'wrk2', bin: string | null, missing: string): Tool {
  const run = async (load: Load): Promise<ToolResult> => {
    const args = ['-t', load.allCores ? '2' : '1', '-c', String(load.connections), '-d', `${load.durationS}s`, '--latency'];
    if (name === 'wrk2') args.push('-R', String(load.rate ?? 1000));
    const m = await runMeasured(bin!, [...args, load.url], { cores: cores(load), timeoutMs: slack(load) });
    const done = /(\d+) requests in ([\d.]+)(us|ms|s|m)/.exec(m.stdout);
    const requests = done ? Number(done[1]) : 0;
    const seconds = done ? (Number(done[2]) * UNIT[done[3]]) / 1000 : load.durationS;
    return { ...m, requests, rps: requests / seconds, p50: wrkPercentile(m.stdout, 50), p95: NaN, p99: wrkPercentile(m.stdout, 99) };
  };
  return { name, missing: bin ? null : missing, rates: name === 'wrk2', closed: name === 'wrk', run, once: null };
}

/** The undici floor (floor/undici-floor.ts): bare undici, no measurement, one core. */
function undiciFloor(): Tool {
  const script = fileURLToPath(new URL('../floor/undici-floor.js', import.meta.url));
  const run = async (load: Load): Promise<ToolResult> => {
    const args = [script, load.url, String(load.connections), String(load.durationS)];
    if (load.rate !== undefined) args.push(String(load.rate));
    const m = await runMeasured(process.execPath, args, { cores: cores(load), timeoutMs: slack(load), cwd: repoRoot });
    try {
      const r = JSON.parse(m.stdout.trim().split('\n').pop() ?? '') as { requests: number; seconds: number };
      return { ...m, requests: r.requests, rps: r.requests / Math.min(r.seconds, load.durationS), p50: NaN, p95: NaN, p99: NaN };
    } catch {
      return nan(m, 0, load.durationS);
    }
  };
  return { name: 'undici', missing: null, rates: true, closed: true, cpuOnly: true, run, once: null };
}

/** Every generator, found on this machine or marked missing with the reason. */
export function findTools(): Tool[] {
  const wrk = which('wrk');
  const wrkIsWrk2 = wrk !== null && /--rate|-R,/.test(spawnSync(wrk, ['--help'], { encoding: 'utf8' }).stderr + spawnSync(wrk, ['--help'], { encoding: 'utf8' }).stdout);
  const wrk2 = which('wrk2') ?? (wrkIsWrk2 ? wrk : null);
  return [
    novaload(),
    novaloadAuto(),
    novaloadLive(),
    autocannon(),
    wrkFamily('wrk', wrkIsWrk2 ? null : wrk, 'wrk is not on PATH (Debian: apt-get install wrk)'),
    wrkFamily('wrk2', wrk2 && existsSync(wrk2) ? wrk2 : null, 'wrk2 is not on PATH (not packaged by Debian; build it from source to include it)'),
    h2load(which('h2load')),
    undiciFloor(),
  ];
}
