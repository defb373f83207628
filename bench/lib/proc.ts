/**
 * Running one generator and measuring what it cost: wall time, CPU (user +
 * sys of the process and every child it waited for) and peak RSS. With GNU
 * time installed (/usr/bin/time) the figures are its wait4() rusage; without
 * it a bash wrapper reads its own /proc/<pid>/stat after the generator exits
 * (cutime + cstime, the children it reaped) and peak RSS is polled from
 * /proc (VmHWM). Generators can be pinned to one core with taskset.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What a measured run produced. */
export interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** user + sys CPU of the generator and its children, ms. */
  cpuMs: number;
  peakRssKb: number;
  /** RSS (KB, summed over the generator's processes) at each `rssAtMs`, NaN when it had already exited. */
  rssKb: number[];
}

/** How to run a generator. */
export interface RunOptions {
  /** Core list for taskset ("1", "0,1"), or null to leave it unpinned. */
  cores: string | null;
  /** Killed after this long (ms): every run is bounded in time. */
  timeoutMs: number;
  /** Sample RSS this many ms after the start. */
  rssAtMs?: number[];
  cwd?: string;
  /** Variables added to the generator's environment (e.g. NODE_EXTRA_CA_CERTS for the HTTPS rows). */
  env?: Record<string, string>;
}

/** Which tools the machine offers for measuring; found once. */
export const host = {
  gnuTime: existsSync('/usr/bin/time'),
  taskset: existsSync('/usr/bin/taskset') || existsSync('/bin/taskset'),
  clockTicks: 100,
};

/** How CPU and RSS are measured here, for the report. */
export function measuringMethod(): string {
  return host.gnuTime
    ? 'CPU = user+sys and peak RSS from GNU time (wait4 rusage of the generator and its children)'
    : 'CPU = cutime+cstime read by a bash wrapper from /proc/<pid>/stat after the generator exits; peak RSS polled from /proc (VmHWM)';
}

/** Pids of `pid` and all its descendants, from /proc/<pid>/task/<pid>/children. */
function tree(pid: number, depth = 0): number[] {
  if (depth > 8) return [];
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return [pid, ...children.flatMap((c) => tree(c, depth + 1))];
}

/** A /proc/<pid>/status field in KB summed over the process tree, excluding the wrapper itself. */
function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  let sum = 0;
  for (const p of tree(pid).slice(1)) {
    try {
      const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (m) sum += Number(m[1]);
    } catch {
      // exited meanwhile
    }
  }
  return sum;
}

let seq = 0;

/** Run `cmd args` pinned and measured; never longer than `timeoutMs`. */
export function runMeasured(cmd: string, args: string[], opts: RunOptions): Promise<Measured> {
  const statFile = join(tmpdir(), `novaload-bench-${process.pid}-${seq++}.stat`);
  const pinned = opts.cores !== null && host.taskset ? ['taskset', '-c', opts.cores, cmd, ...args] : [cmd, ...args];
  const [file, argv] = host.gnuTime
    ? ['/usr/bin/time', ['-f', '%e %U %S %M', '-o', statFile, ...pinned]]
    : ['bash', ['-c', '"$@"; rc=$?; read -r s < /proc/$$/stat; printf "%s\\n" "$s" > "$STATFILE"; exit $rc', 'bash', ...pinned]];
  const t0 = performance.now();
  const child = spawn(file, argv, { cwd: opts.cwd, env: { ...process.env, ...opts.env, STATFILE: statFile }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-20_000)));
  const rssKb = (opts.rssAtMs ?? []).map(() => NaN);
  let hwm = 0;
  const timers = (opts.rssAtMs ?? []).map((at, i) => setTimeout(() => (rssKb[i] = statusKb(child.pid ?? 0, 'VmRSS') || NaN), at));
  const poll = setInterval(() => (hwm = Math.max(hwm, statusKb(child.pid ?? 0, 'VmHWM'))), 200);
  const kill = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - t0;
      for (const t of [...timers, kill]) clearTimeout(t);
      clearInterval(poll);
      let cpuMs = NaN;
      let peakRssKb = hwm;
      try {
        const text = readFileSync(statFile, 'utf8').trim();
        if (host.gnuTime) {
          const [, user, sys, rss] = text.split('\n').pop()!.split(' ').map(Number);
          cpuMs = (user + sys) * 1000;
          peakRssKb = rss;
        } else {
          const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
          cpuMs = ((Number(f[13]) + Number(f[14])) * 1000) / host.clockTicks;
        }
      } catch {
        // killed before it could write: CPU unknown
      }
      rmSync(statFile, { force: true });
      resolve({ code, stdout, stderr, wallMs, cpuMs, peakRssKb, rssKb });
    });
  });
}
