/**
 * Run the real `novaload` binary as a child process and collect what it
 * printed and its exit code; scenario files are written to a temp dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The CLI the end-to-end tests run: the bundle that ships in the npm package
 * and the image (packages/novaload, which `pnpm test` makes after `tsc -b`),
 * so they test what users install, and each process starts ~0.2 s sooner
 * than from the workspace's hundreds of modules. The workspace's own bin
 * (`pnpm exec novaload`) is what `viaPnpm` runs.
 */
export const BIN = fileURLToPath(new URL('../../../packages/novaload/bin/novaload.js', import.meta.url));
freshBundle();

/** The repository root, where `pnpm exec novaload` finds the workspace's binary. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The README's and CI's way to get pnpm on a machine with only npm. */
export const PNPM = ['npx', '--yes', 'pnpm@10.34.9'];
const EXIT_RECORDER = new URL('./exit-recorder.js', import.meta.url);

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A started CLI process: its result, and the process to signal. */
export interface CliRun {
  child: ChildProcess;
  result: Promise<CliResult>;
  /** Resolves once stderr contains `text`; rejects if the process exits first. */
  stderrIncludes(text: string): Promise<void>;
  /** What the process printed on stderr so far. */
  stderr(): string;
  /** Send a signal as a terminal does: to the whole process group with `viaPnpm`, else to the process. */
  signal(signal: NodeJS.Signals): void;
}

/** Where and how long to run; `env` adds variables (GITHUB_STEP_SUMMARY is cleared unless given, so tests never write to a CI job's summary). */
export interface CliOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Run under bash's `ulimit` with these arguments ("-n 256": soft and hard open-file limit, "-Sn 256": soft only); via exec, so the child keeps its pid. */
  ulimit?: string;
  /**
   * Run as the README does, `npx --yes pnpm@10.34.9 exec novaload …` from the repo root, leading its own
   * process group; `code` is then novaload's own exit code (recorded by exit-recorder.ts), null if it left none.
   */
  viaPnpm?: boolean;
  /** Run this command (e.g. an installed package's `novaload`) instead of the workspace's bin under this node. */
  command?: string[];
  /** Run as this user and group (as a container's USER does); the process needs to be root to set them. */
  uid?: number;
  gid?: number;
}

export function startCli(args: string[], opts: CliOptions = {}): CliRun {
  const exitFile = opts.viaPnpm ? join(tmpdir(), `novaload-exit-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`) : undefined;
  const wrapped = exitFile && { NODE_OPTIONS: `--import ${EXIT_RECORDER.href}`, NOVALOAD_TEST_EXIT_FILE: exitFile };
  const env = { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: undefined, ...wrapped, ...opts.env };
  const node = [...(opts.command ?? [process.execPath, BIN]), ...args];
  const argv = opts.viaPnpm ? [...PNPM, 'exec', 'novaload', ...args] : opts.ulimit === undefined ? node : ['bash', '-c', `ulimit ${opts.ulimit} && exec "$0" "$@"`, ...node];
  const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd ?? (opts.viaPnpm ? ROOT : undefined), stdio: ['ignore', 'pipe', 'pipe'], env, detached: opts.viaPnpm === true, uid: opts.uid, gid: opts.gid });
  const signal = (sig: NodeJS.Signals): void => {
    try {
      if (opts.viaPnpm) process.kill(-child.pid!, sig);
      else child.kill(sig);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  };
  let stdout = '';
  let stderr = '';
  const watchers: { text: string; resolve: () => void; reject: (e: Error) => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => (stdout += d));
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d;
    for (const w of watchers.filter((w) => stderr.includes(w.text))) {
      watchers.splice(watchers.indexOf(w), 1);
      w.resolve();
    }
  });
  const killer = setTimeout(() => signal('SIGKILL'), opts.timeoutMs ?? 60_000);
  const result = new Promise<CliResult>((resolve) => {
    // 'close' waits for every holder of the pipes: under pnpm, also novaload outliving its wrapper.
    child.on('close', (code, sig) => {
      clearTimeout(killer);
      // Whoever still waits for output will not get it: fail them instead of hanging.
      for (const w of watchers.splice(0)) w.reject(new Error(`the process exited (${code ?? sig}) without printing "${w.text}"; stderr:\n${stderr}`));
      if (!exitFile) return resolve({ code, signal: sig, stdout, stderr });
      readFile(exitFile, 'utf8').then(
        (text) => resolve({ code: Number(text), signal: sig, stdout, stderr }),
        () => resolve({ code: null, signal: sig, stdout, stderr }),
      );
    });
  });
  return {
    child,
    result,
    stderrIncludes: (text) => (stderr.includes(text) ? Promise.resolve() : new Promise((resolve, reject) => watchers.push({ text, resolve, reject }))),
    stderr: () => stderr,
    signal,
  };
}

/** Run the CLI to completion. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  return startCli(args, opts).result;
}

/** A fresh temp directory for one test's files. */
export function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'novaload-test-'));
}

/** Write a scenario object as JSON into `dir`; returns its path. */
export async function writeScenario(dir: string, name: string, scenario: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, JSON.stringify(scenario, null, 2));
  return path;
}

/** Refuse a bundle made before the workspace's last build: the tests would run yesterday's code. */
function freshBundle(): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  const stamp = statSync(join(root, 'packages/novaload/.bundled'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  let newest = 0;
  for (const pkg of ['report', 'agent', 'controller']) {
    const dir = join(root, 'packages', pkg, 'dist/src');
    for (const name of readdirSync(dir, { recursive: true }) as string[]) if (name.endsWith('.js')) newest = Math.max(newest, statSync(join(dir, name)).mtimeMs);
  }
  if (stamp < newest) throw new Error('packages/novaload/dist is older than the workspace build: run `node packages/novaload/scripts/bundle.mjs` (`pnpm test` does)');
}
