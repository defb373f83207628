/**
 * `pnpm bench:controller [-- --shares 10,50,200] [--names 5,20,50]
 * [--seconds 20] [--speed 1] [--rps 20] [--long-seconds 600] [--long-speed 1.5]
 * [--cpu-prof DIR] [--controller-dir DIR]`: how the controller's merge grows with the work (issue 14
 * point 5). A real controller (`novaload run --agents N`) is fed by simulated
 * agents in this process over the real protocol (lib/sim-agents.ts), one
 * snapshot per share per simulated second, with bodies of realistic
 * histograms (lib/sim-snapshots.ts). For each shares × names it reports the
 * controller's CPU per simulated second of load (user + sys from /proc, as
 * % of one core), the lag from a second's last snapshot sent to that second
 * in the controller's --hdr-log (written when the second is merged), and
 * RSS; then one long run of 200 × 50 for `--long-seconds` simulated seconds
 * (sent `--long-speed` times faster than real time: the controller allows 4
 * snapshots a second per share, and needs speed × its CPU per second of
 * cores, or it falls behind and loses its agents) for the RSS after 10
 * simulated minutes.
 * The report's request count is checked against what was sent.
 * `--controller-dir` runs another build's controller (a checkout of an
 * earlier commit, built there) to measure the design before a change.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SimAgent } from './lib/sim-agents.js';
import { requestNames, snapshotBodies } from './lib/sim-snapshots.js';
import { median } from './lib/stats.js';
import { repoRoot } from './lib/tools.js';

const { values: flags } = parseArgs({
  args: process.argv.slice(2).filter((a, i) => !(i === 0 && a === '--')),
  options: {
    shares: { type: 'string', default: '10,50,200' },
    names: { type: 'string', default: '5,20,50' },
    seconds: { type: 'string', default: '20' },
    speed: { type: 'string', default: '1' },
    rps: { type: 'string', default: '20' },
    'long-seconds': { type: 'string', default: '600' },
    'long-speed': { type: 'string', default: '1.5' },
    'cpu-prof': { type: 'string' },
    'controller-dir': { type: 'string' },
  },
});
const log = (s: string): void => void process.stderr.write(`${s}\n`);
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

function startController(nodeArgs: string[], args: string[]): Promise<Controller> {
  const child = spawn(process.execPath, [...nodeArgs, join(flags['controller-dir'] ?? repoRoot, 'packages/controller/bin/novaload.js'), ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
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

/** Feed one controller `seconds` simulated seconds of `shares` shares × `names` request names. */
export async function measure(shares: number, names: number, seconds: number, speed: number, rps: number, cpuProf?: string): Promise<ScaleFigures> {
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
    const ctl = await startController(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${cpuProf}`] : [], args);
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

/** One row, or what went wrong: a controller that falls behind loses its agents (exit 111), which is a result too. */
async function attempt(run: () => Promise<ScaleFigures>, results: ScaleFigures[], head: string): Promise<string> {
  try {
    const f = await run();
    results.push(f);
    return row(f);
  } catch (err) {
    const first = /degraded: .*|exited \d+/.exec((err as Error).message)?.[0] ?? (err as Error).message.split('\n')[0];
    return `${head} failed: ${first} |`;
  }
}

async function main(): Promise<void> {
  const seconds = Number(flags.seconds);
  const speed = Number(flags.speed);
  const rps = Number(flags.rps);
  const results: ScaleFigures[] = [];
  const lines = [
    `controller scale${flags['controller-dir'] ? ` (controller of ${flags['controller-dir']})` : ''}, ${availableParallelism()} cores, node ${process.version}, load average ${loadavg()[0].toFixed(2)} at start; ${rps} requests per share per name per second`,
    '',
    '| shares | names | simulated | snapshot KiB | CPU per s of load (one core) | lag p50 / max | controller RSS | counts exact |',
    '|---:|---:|---|---:|---:|---:|---:|---|',
  ];
  for (const shares of flags.shares.split(',').map(Number)) {
    for (const names of flags.names.split(',').map(Number)) {
      lines.push(await attempt(() => measure(shares, names, seconds, speed, rps, flags['cpu-prof']), results, `| ${shares} | ${names} | ${seconds} s at ${speed}× |`));
      log(lines.at(-1)!);
    }
  }
  const longSeconds = Number(flags['long-seconds']);
  if (longSeconds > 0) {
    lines.push(await attempt(() => measure(200, 50, longSeconds, Number(flags['long-speed']), rps), results, `| 200 | 50 | ${longSeconds} s at ${flags['long-speed']}× |`));
    log(lines.at(-1)!);
  }
  mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(repoRoot, `bench/results/controller-scale-${stamp}.json`), JSON.stringify(results, null, 2));
  writeFileSync(join(repoRoot, `bench/results/controller-scale-${stamp}.md`), `${lines.join('\n')}\n`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
