/**
 * Reading CI and Kubernetes files the way their runners do, for tests that
 * run the novaload commands written in them: YAML documents, the shell
 * lines that call novaload (chosen by one rule, so a test can check what it
 * picked), their words as bash splits them, and `$(VAR)` as the kubelet
 * expands it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';

/** Every document of a YAML file as plain data; a syntax error fails with the file's name. */
export async function yamlDocuments<T = unknown>(path: string): Promise<T[]> {
  const out: T[] = [];
  for (const doc of parseAllDocuments(await readFile(path, 'utf8'))) {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors.map((e) => e.message).join('; ')}`);
    if (doc.contents) out.push(doc.toJS() as T);
  }
  return out;
}

/** A script's logical lines: backslash-continued lines joined, blanks and comments left out. */
export function scriptLines(script: string): string[] {
  return script
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * The rule for what a test runs: a line whose first word is `novaload`.
 * Installing it (npm, npx) and starting the user's own service are not.
 */
export function callsNovaload(line: string): boolean {
  return /^novaload(\s|$)/.test(line);
}

/** Whether a line mentions novaload at all: with callsNovaload, shows that no call was skipped. */
export function mentionsNovaload(line: string): boolean {
  return /\bnovaload\b/.test(line);
}

/** The words bash makes of `line` with `env` (quotes and $VARs resolved), without running it. */
export function shellWords(line: string, env: Record<string, string>): string[] {
  const r = spawnSync('bash', ['--noprofile', '--norc', '-c', `printf '%s\\0' ${line}`], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bash could not split ${line}: ${r.stderr}`);
  return r.stdout.split('\0').slice(0, -1);
}

/** What a script printed and its exit code. */
export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `argv` (its first word looked up on env's PATH) to completion in `cwd`, killed after `timeoutMs`. */
export function runCommand(argv: string[], opts: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<ScriptResult> {
  const child = spawn(argv[0]!, argv.slice(1), { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const killer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Run `script` as GitHub Actions runs a `run:` step on Linux, and GitLab a job's script: bash, stopping at the first failing line. */
export function runScript(script: string, opts: { cwd: string; env: Record<string, string>; timeoutMs?: number }): Promise<ScriptResult> {
  return runCommand(['bash', '--noprofile', '--norc', '-eo', 'pipefail', '-c', script], opts);
}

/** A container argument as the kubelet expands it: `$(NAME)` from `env`; a name it lacks stays as written, as Kubernetes leaves it. */
export function expandK8s(arg: string, env: Record<string, string>): string {
  return arg.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);
}
