/**
 * Run the real `novaload` binary as a child process and collect what it
 * printed and its exit code; scenario files are written to a temp dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../../packages/controller/bin/novaload.js', import.meta.url));

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
}

/** Where and how long to run; `env` adds variables (GITHUB_STEP_SUMMARY is cleared unless given, so tests never write to a CI job's summary). */
export interface CliOptions {
  cwd?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Run under bash's `ulimit` with these arguments ("-n 256": soft and hard open-file limit, "-Sn 256": soft only); via exec, so the child keeps its pid. */
  ulimit?: string;
}

export function startCli(args: string[], opts: CliOptions = {}): CliRun {
  const env = { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: undefined, ...opts.env };
  const argv = opts.ulimit === undefined ? [process.execPath, BIN, ...args] : ['bash', '-c', `ulimit ${opts.ulimit} && exec "$0" "$@"`, process.execPath, BIN, ...args];
  const child = spawn(argv[0], argv.slice(1), { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], env });
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
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  const result = new Promise<CliResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      // Whoever still waits for output will not get it: fail them instead of hanging.
      for (const w of watchers.splice(0)) w.reject(new Error(`the process exited (${code ?? signal}) without printing "${w.text}"; stderr:\n${stderr}`));
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    result,
    stderrIncludes: (text) => (stderr.includes(text) ? Promise.resolve() : new Promise((resolve, reject) => watchers.push({ text, resolve, reject }))),
    stderr: () => stderr,
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
