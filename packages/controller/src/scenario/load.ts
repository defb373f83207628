/**
 * Reading a scenario file: a missing file or broken JSON or YAML is an input
 * error (exit 104) with the line and column to fix, not a stack trace.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { ResolvedScenario } from '@novaload/agent';
import { fileSafe } from '../outputs.js';
import type { Overrides } from './overrides.js';
import { InputError, jsonPath, type Problem } from './problems.js';
import { resolveScenario, type ResolveOptions } from './resolve.js';
import { isRunFile, resolveRunFile, type ResolvedRun } from './run-file.js';
import { isYamlFile, parseYaml, type Locate } from './yaml.js';

/** Read, parse, validate and resolve one file, a scenario or a run file (run-file.ts), JSON or YAML; throws InputError listing every problem. */
export async function loadFile(file: string, overrides?: Overrides, options?: ResolveOptions): Promise<ResolvedScenario | ResolvedRun> {
  const parsed = await readParsed(file);
  const { raw } = parsed;
  return located(parsed, () => (isRunFile(raw) ? resolveRunFile(raw, file, overrides, options) : resolveScenario(raw, file, overrides, options)));
}

/** A scenario or run file as parsed data, and for YAML where each of its JSON paths is (yaml.ts). */
export interface Parsed {
  raw: unknown;
  locate?: Locate;
}

/** Read and parse a user-written file: YAML when it ends in .yaml/.yml, JSON otherwise; a file that cannot be read or parsed is an InputError. */
export async function readParsed(file: string): Promise<Parsed> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new InputError([{ file, path: '', message: `cannot read the scenario: ${reason}` }]);
  }
  text = text.replace(/^\uFEFF/, '');
  return isYamlFile(file) ? parseYaml(text, file) : { raw: parseJson(text, file) };
}

/** Run `check` on a parsed file; its problems get the YAML line and column of their path (JSON problems are left as they are). */
export function located<T>(parsed: Parsed, check: () => T): T {
  const { locate } = parsed;
  if (!locate) return check();
  try {
    return check();
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new InputError(err.problems.map((p) => ({ ...p, ...(p.line === undefined && locate(p)) })));
  }
}

/** Like loadFile where one scenario is expected (the demo's profile, tests): a run file is refused. */
export async function loadScenario(file: string, overrides?: Overrides, options?: ResolveOptions): Promise<ResolvedScenario> {
  const loaded = await loadFile(file, overrides, options);
  if (!('workloads' in loaded)) return loaded;
  throw new InputError([{ file, path: jsonPath('scenarios'), message: 'this is a run file (it has "scenarios"), where one scenario is expected', hint: 'give a scenario file, or pass the run file to `novaload run`' }]);
}

/**
 * Load several files before any load starts: a run never stops half-way on
 * a bad later file, and one InputError lists the problems of all of them,
 * including names that collide (their reports would overwrite each other).
 */
export async function loadScenarios(files: readonly string[], overrides?: Overrides, options?: ResolveOptions): Promise<ResolvedScenario[]> {
  return loadAll(files, (f) => loadScenario(f, overrides, options));
}

/** loadScenarios for `validate`: run files too, each checked whole. */
export async function loadFiles(files: readonly string[], overrides?: Overrides, options?: ResolveOptions): Promise<(ResolvedScenario | ResolvedRun)[]> {
  return loadAll(files, (f) => loadFile(f, overrides, options));
}

async function loadAll<T extends ResolvedScenario | ResolvedRun>(files: readonly string[], load: (file: string) => Promise<T>): Promise<T[]> {
  const settled = await Promise.allSettled(files.map(load));
  const problems = settled.flatMap((s) => (s.status === 'rejected' && s.reason instanceof InputError ? s.reason.problems : []));
  const other = settled.find((s) => s.status === 'rejected' && !(s.reason instanceof InputError));
  if (other) throw (other as PromiseRejectedResult).reason;
  // A run file's workloads write their own reports, so their names must not collide either.
  const loaded = settled.flatMap((s, i) => (s.status === 'fulfilled' ? ('workloads' in s.value ? s.value.workloads : [s.value]).map((x) => ({ file: files[i]!, scenario: 'scenario' in x ? x.scenario : x })) : []));
  problems.push(...nameCollisions(loaded));
  if (problems.length > 0) throw new InputError(problems);
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/**
 * A scenario's name names its reports (`r.<name>.json`), baselines and
 * history: two files whose names match (as report file names, ignoring
 * case) would overwrite each other's reports, so the later one is refused.
 */
function nameCollisions(loaded: readonly { file: string; scenario: { name: string } }[]): Problem[] {
  const first = new Map<string, string>();
  const problems: Problem[] = [];
  for (const { file, scenario } of loaded) {
    const key = fileSafe(scenario.name).toLowerCase();
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, file);
      continue;
    }
    const suggestion = `${scenario.name}-${basename(dirname(file)) || '2'}`;
    problems.push({
      file,
      path: jsonPath('name'),
      message: `scenario name "${scenario.name}" collides with ${earlier}: their reports would overwrite each other`,
      hint: `give one of them its own "name", e.g. "name": ${JSON.stringify(suggestion)}`,
    });
  }
  return problems;
}

/** JSON.parse with a problem at the line and column of the first bad character (exit 104), not a stack. */
function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const { line, column } = lineColumn(text, errorOffset(text, message));
    const what = message
      .replace(/ in JSON at position \d+.*$/s, '')
      .replace(/, ".*" is not valid JSON$/s, '')
      .replace(/ \(line \d+ column \d+\)$/, '')
      .replace(/[\0-\x1f]/g, (c) => JSON.stringify(c).slice(1, -1));
    throw new InputError([{ file, path: '', message: `invalid JSON at line ${line}, column ${column}: ${what}` }]);
  }
}

/**
 * Offset of the first bad character (a cut-short file points after its last
 * character, not at trailing blank lines). V8 gives a position for most
 * errors; for the rest, find the shortest prefix that is broken, not merely cut short.
 */
function errorOffset(text: string, message: string): number {
  const end = text.trimEnd().length;
  const at = /at position (\d+)/.exec(message);
  if (at) return Math.min(Number(at[1]), end);
  if (/Unexpected end/.test(message)) return end;
  const broken = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return false;
    } catch (e) {
      const m = (e as Error).message;
      const pos = /at position (\d+)/.exec(m);
      return !/Unexpected end/.test(m) && (pos === null || Number(pos[1]) < length);
    }
  };
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (broken(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
