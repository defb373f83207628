/**
 * YAML scenario and run files: parsed as plain data (YAML 1.2 core schema,
 * no custom or YAML 1.1 tags, aliases capped against "billion laughs", one
 * document per file), then checked exactly as JSON is. What YAML adds is
 * where: every problem's JSON path is mapped back to the line and column
 * of its node, so `smoke.yaml:12:7: $.requests[1].method: …` points at it.
 */
import { createRequire } from 'node:module';
import type { Document, Node, Pair } from 'yaml';
import { InputError, type Problem, type Segment } from './problems.js';

/** The yaml package, loaded by the first YAML file read: a command that reads none (most of them, `--help` included) never pays its ~40 ms. */
let lib: typeof import('yaml') | undefined;
export function yamlLib(): typeof import('yaml') {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

/** Whether a file is read as YAML: its name ends in .yaml or .yml, in any case. */
export function isYamlFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/** Where a problem sits in the file (1-based), or undefined when its path is not in it (a flag, the whole file). */
export type Locate = (problem: Problem) => { line: number; column: number } | undefined;

/** Aliases a file may expand: far more than a scenario needs, far fewer than an alias bomb. */
const MAX_ALIAS_COUNT = 100;

/** Problems about a mapping's key (the field itself), located at the key rather than at its value. */
const KEY_PROBLEM = /^unknown field|belongs in an entry of "scenarios"|is not a workload name/;

const SYNTAX_HINTS: Record<string, string> = {
  TAB_AS_INDENT: 'indent with spaces: YAML does not allow tabs there',
  DUPLICATE_KEY: 'keep one of them',
  MISSING_CHAR: 'close the quote or bracket',
  BAD_INDENT: 'line the fields of one mapping up at the same column',
  TAG_RESOLVE_FAILED: 'a scenario is plain data: remove the tag',
};

/**
 * Parse YAML text to plain data and a Locate for its problems; throws
 * InputError (every syntax problem, at its line and column). Scenarios use
 * the core schema (numbers are numbers); data files the failsafe one, where
 * every value stays the text it was written as (a zip code 01234 stays 01234).
 */
export function parseYaml(text: string, file: string, schema: 'core' | 'failsafe' = 'core'): { raw: unknown; locate: Locate } {
  const { LineCounter, parseAllDocuments } = yamlLib();
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, version: '1.2', schema, resolveKnownTags: false, uniqueKeys: true });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const problems: Problem[] = [];
  for (const doc of list) {
    for (const e of [...doc.errors, ...doc.warnings]) {
      const what = e.message
        .split('\n')[0]!
        .replace(/ at line \d+, column \d+:?$/, '')
        .replace(/^Unresolved tag: (.*)$/, (_, tag: string) => `tag ${tag.replace(/^tag:yaml\.org,2002:/, '!!')} is not allowed`);
      const hint = SYNTAX_HINTS[e.code];
      problems.push({ file, path: '', ...at(e.pos[0]), message: `invalid YAML: ${what}`, ...(hint && { hint }) });
    }
  }
  if (list.length > 1) {
    problems.push({ file, path: '', ...at(list[1]!.range[0]), message: `one scenario per file: this file holds ${list.length} YAML documents`, hint: 'split it into files, or make it one run file with the workloads under "scenarios"' });
  }
  if (problems.length > 0) throw new InputError(problems);
  const doc = list[0];
  let raw: unknown = null;
  try {
    raw = doc ? doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) : null;
  } catch (err) {
    if (!(err instanceof ReferenceError)) throw err;
    throw new InputError([{ file, path: '', message: `invalid YAML: its aliases expand to more than ${MAX_ALIAS_COUNT} nodes, as an alias bomb does`, hint: 'write the values out, or use fewer aliases' }]);
  }
  const locate: Locate = (p) => {
    const segments = p.file === file ? pathSegments(p.path) : undefined;
    if (!doc || segments === undefined) return undefined;
    const offset = nodeOffset(doc, segments, KEY_PROBLEM.test(p.message));
    return offset === undefined ? undefined : at(offset);
  };
  return { raw, locate };
}

/** `$.requests[1]["latency.p95"]` back into segments; undefined for what is not a JSON path (a flag, ''). */
function pathSegments(path: string): Segment[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const out: Segment[] = [];
  let rest = path.slice(1);
  while (rest !== '') {
    const m = /^\.([A-Za-z_$][\w$]*)|^\[(\d+)\]|^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
    if (!m) return out;
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string)));
    rest = rest.slice(m[0].length);
  }
  return out;
}

/**
 * Offset of the node at `segments`: the value (or the key, for a problem
 * about the key); where the path leaves the file (a missing field), the
 * deepest node that exists, the mapping the field belongs in.
 */
function nodeOffset(doc: Document.Parsed, segments: readonly Segment[], atKey: boolean): number | undefined {
  const { isAlias, isMap, isSeq } = yamlLib();
  let node: unknown = doc.contents;
  let pair: Pair | undefined;
  for (const seg of segments) {
    if (isAlias(node)) node = node.resolve(doc);
    const found = isMap(node) ? node.items.find((p) => keyText(p.key) === String(seg)) : undefined;
    if (found) {
      pair = found;
      node = found.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      pair = undefined;
      node = node.items[seg];
    } else break;
  }
  const key = pair?.key as Node | undefined;
  const value = node as Node | null | undefined;
  if (atKey && key?.range) return key.range[0];
  return value?.range?.[0] ?? key?.range?.[0] ?? doc.contents?.range?.[0];
}

function keyText(key: unknown): string {
  return yamlLib().isScalar(key) ? String(key.value) : String(key);
}
