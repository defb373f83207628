/**
 * One controller-scale measurement (issue 14 point 5), for `pnpm
 * bench:controller` (the grid and the 10-minute run) and the short row of
 * `pnpm bench`: a real controller (`novaload run --agents N`) fed by
 * simulated agents in this process over the real protocol (sim-agents.ts),
 * one snapshot per share per simulated second, with bodies of realistic
 * histograms (sim-snapshots.ts). It reports the controller's CPU per
 * simulated second of load (user + sys from /proc), the lag from a
 * second's last snapshot sent to that second in the controller's
 * --hdr-log (written when the second is merged), and RSS; the report's
 * request count is checked against what was sent.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimAgent } from './sim-agents.js';
import { requestNames, snapshotBodies } from './sim-snapshots.js';
import { median } from './stats.js';
import { repoRoot } from './tools.js';

const CLK_TCK = 100;

/** What one controller run cost. */
export interface ScaleFigures {
  shares: number;
  names: number;
  seconds: number;
  speed: number;
  requestsSent: number;
  requestsReported: number;
  /** Controller CPU (user + sys) per simulated second, ms: ÷ 10 is % of one core at real time. */
  cpuMsPerSecond: number;
  lagP50Ms: number;
  lagMaxMs: number;
  rssMb: number;
  peakRssMb: number;
  snapshotKiB: number;
}

/** utime + stime of the controller, ms; throws with its log if it has exited. */
function cpuMs(ctl: Controller): number {
  if (ctl.child.exitCode !== null) throw new Error(`controller exited ${ctl.child.exitCode} during the run:\n${ctl.stderr().slice(-3000)}`);
  const fields = readFileSync(`/proc/${ctl.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  return Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

/** When each second's line appears in the controller's HDR log (Date.now()), polled every 5 ms. */
function watchLog(file: string): { ready: Map<number, number>; stop: () => void } {
  const ready = new Map<number, number>();
  let offset = 0;
  let rest = '';
  const buf = Buffer.alloc(1 << 20);
  const timer = setInterval(() => {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return;
    }
    for (let n; (n = readSync(fd, buf, 0, buf.length, offset)) > 0; offset += n) rest += buf.toString('utf8', 0, n);
    closeSync(fd);
    const lines = rest.split('\n');
    rest = lines.pop()!;
    const now = Date.now();
    for (const line of lines) {
      const m = /^(\d+)\.\d+,/.exec(line);
      if (m && !ready.has(Number(m[1]))) ready.set(Number(m[1]), now);
    }
  }, 5);
  return { ready, stop: () => clearInterval(timer) };
}

/** The controller under test, and its log so far. */
interface Controller {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exited: Promise<{ code: number | null; stderr: string }>;
}

function startController(controllerDir: string, nodeArgs: string[], args: string[]): Promise<Controller> {
  const child = spawn(process.execPath, [...nodeArgs, join(controllerDir, 'packages/controller/bin/novaload.js'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<{ code: number | null; stderr: string }>((r) => child.on('exit', (code) => r({ code, stderr })));
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      const m = / on (ws:\/\/127\.0\.0\.1:\d+) \(for /.exec(stderr);
      if (m) resolve({ child, url: m[1]!, stderr: () => stderr, exited });
    });
    void exited.then(({ code }) => reject(new Error(`controller exited ${code} before listening:\n${stderr}`)));
  });
}

const sleepUntil = (at: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

/** One controller run: `shares` × `names` for `seconds` simulated seconds, `speed` times real time, `rps` requests per share per name per second. */
export interface ScaleRun {
  shares: number;
  names: number;
  seconds: number;
  speed: number;
  rps: number;
  /** Write the controller's CPU profile here (node --cpu-prof). */
  cpuProf?: string;
  /** The checkout whose controller is measured (another build's, for the design before a change); this one by default. */
  controllerDir?: string;
}

/** Feed one controller `seconds` simulated seconds of `shares` shares × `names` request names. */
export async function measure({ shares, names, seconds, speed, rps, cpuProf, controllerDir = repoRoot }: ScaleRun): Promise<ScaleFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'novaload-scale-'));
  try {
    const agents = Math.ceil(shares / 2);
    const scenario = {
      name: `scale-${shares}x${names}`,
      target: 'http://127.0.0.1:9',
      executor: 'constant-vus',
      vus: shares * 4,
      duration: `${seconds}s`,
      requests: requestNames(names).map((name) => ({ name, method: 'GET', path: `/${name}` })),
    };
    writeFileSync(join(dir, 'scenario.json'), JSON.stringify(scenario));
    const bodies = snapshotBodies(names, rps);
    const snapshotKiB = median(bodies.map((b) => b.json.length)) / 1024;
    const args = ['run', join(dir, 'scenario.json'), '--agents', String(agents), '--listen', '127.0.0.1:0', '--hdr-log', join(dir, 'log.hdr'), '--out', join(dir, 'report.json'), '--agent-timeout', '60s'];
    const ctl = await startController(controllerDir, cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [], args);
    const sims = await Promise.all(Array.from({ length: agents }, (_, i) => SimAgent.connect(ctl.url, `sim-${i}`, i === agents - 1 && shares % 2 === 1 ? 1 : 2)));
    const startAt = Math.max(...(await Promise.all(sims.map((s) => s.started()))));
    const watch = watchLog(join(dir, 'log.hdr'));
    await sleepUntil(startAt);
    const cpu0 = cpuMs(ctl);
    const sentAt: number[] = [];
    let requestsSent = 0;
    for (let s = 0; s < seconds; s++) {
      await sleepUntil(startAt + ((s + 1) * 1000) / speed);
      for (const sim of sims) {
        for (const share of sim.shares) {
          const body = bodies[(share + s) % bodies.length]!;
          sim.snapshot(share, s, s, body.json, 4);
          requestsSent += body.requests;
        }
      }
      sentAt.push(Date.now());
    }
    for (const deadline = Date.now() + 60_000; !watch.ready.has(seconds - 1) && Date.now() < deadline; ) await sleepUntil(Date.now() + 10);
    const cpu1 = cpuMs(ctl);
    const rssMb = statusKb(ctl.child.pid!, 'VmRSS') / 1024;
    const peakRssMb = statusKb(ctl.child.pid!, 'VmHWM') / 1024;
    watch.stop();
    for (const sim of sims) sim.done(seconds - 1);
    const { code, stderr } = await ctl.exited;
    for (const sim of sims) sim.close();
    if (code !== 0) throw new Error(`controller exited ${code}:\n${stderr.slice(-2000)}`);
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as { totals: { requests: number } };
    const lags = sentAt.map((at, s) => (watch.ready.get(s) ?? NaN) - at);
    return {
      shares, names, seconds, speed, requestsSent, requestsReported: report.totals.requests,
      cpuMsPerSecond: (cpu1 - cpu0) / seconds, lagP50Ms: median(lags), lagMaxMs: Math.max(...lags),
      rssMb, peakRssMb, snapshotKiB,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function row(f: ScaleFigures): string {
  const ok = f.requestsSent === f.requestsReported ? 'yes' : `NO (${f.requestsReported})`;
  return `| ${f.shares} | ${f.names} | ${f.seconds} s at ${f.speed}× | ${f.snapshotKiB.toFixed(0)} | ${(f.cpuMsPerSecond / 10).toFixed(1)}% | ${f.lagP50Ms.toFixed(0)} / ${f.lagMaxMs.toFixed(0)} ms | ${f.rssMb.toFixed(0)} MB (peak ${f.peakRssMb.toFixed(0)}) | ${ok} |`;
}

/** One markdown row of the figures (the header is TABLE_HEAD). */
export function scaleRow(f: ScaleFigures): string {
  const ok = f.requestsSent === f.requestsReported ? 'yes' : `NO (${f.requestsReported})`;
  return `| ${f.shares} | ${f.names} | ${f.seconds} s at ${f.speed}× | ${f.snapshotKiB.toFixed(0)} | ${(f.cpuMsPerSecond / 10).toFixed(1)}% | ${f.lagP50Ms.toFixed(0)} / ${f.lagMaxMs.toFixed(0)} ms | ${f.rssMb.toFixed(0)} MB (peak ${f.peakRssMb.toFixed(0)}) | ${ok} |`;
}

/** The table's header lines for scaleRow. */
export const TABLE_HEAD = ['| shares | names | simulated | snapshot KiB | CPU per s of load (one core) | lag p50 / max | controller RSS | counts exact |', '|---:|---:|---|---:|---:|---:|---:|---|'];
