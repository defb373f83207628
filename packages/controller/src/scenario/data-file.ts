/**
 * Reading a data file into columns and cells (row-major strings): CSV with
 * a header row, parsed by csv-parse (quoting, CRLF, a BOM), or a JSON array
 * (or YAML list) of objects that all have the same keys. Values become strings, since
 * templates put them into paths, headers and bodies (a number stays the
 * digits it was written with). Every failure is one message naming the line
 * (CSV) or the element (JSON, YAML) to fix. A NUL character is refused: it joins
 * the values a share is sent (CELL_SEPARATOR), and no HTTP header can hold it.
 */
import { extname } from 'node:path';
import { createRequire } from 'node:module';
import { CELL_SEPARATOR } from '@novaload/agent';
import { InputError } from './problems.js';
import { isYamlFile, parseYaml } from './yaml.js';

/** csv-parse is loaded by the first CSV file read: a run without one never pays for it. */
const require = createRequire(import.meta.url);

/** The file's contents, or what is wrong with it. */
export type DataFile = { ok: true; columns: string[]; cells: string[] } | { ok: false; message: string; hint?: string };

const fail = (message: string, hint?: string): DataFile => (hint ? { ok: false, message, hint } : { ok: false, message });

/** Parse a data file's text; `name` (its path) picks CSV, JSON or YAML by extension. */
export function parseDataFile(name: string, text: string): DataFile {
  const ext = extname(name).toLowerCase();
  if (ext === '.json') return parseJsonRows(text.replace(/^\uFEFF/, ''));
  if (ext === '.csv') return parseCsv(text);
  if (isYamlFile(name)) return parseYamlRows(name, text.replace(/^\uFEFF/, ''));
  return fail(`${name} is neither .csv, .json nor .yaml`, 'name a CSV file with a header row (users.csv), a JSON array of objects (users.json) or a YAML list of mappings (users.yaml)');
}

const YAML_SHAPE = 'write a YAML list of mappings, one per row, e.g. "- user: a" then "  password: p"';

/** A YAML list of mappings, read with the failsafe schema: every value stays the text it was written as. */
function parseYamlRows(name: string, text: string): DataFile {
  if (text.trim() === '') return fail('the file is empty', YAML_SHAPE);
  let value: unknown;
  try {
    value = parseYaml(text, name, 'failsafe').raw;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const p = err.problems[0]!;
    return fail(`${p.line === undefined ? '' : `line ${p.line}, column ${p.column}: `}${p.message}`, p.hint);
  }
  return rowsOf(value, YAML_SHAPE);
}

const NUL_HINT = 'a NUL character (\\0) cannot go into a request: remove it from the file';

function parseCsv(text: string): DataFile {
  const nul = text.indexOf(CELL_SEPARATOR);
  if (nul >= 0) return fail(`line ${text.slice(0, nul).split('\n').length} holds a NUL character`, NUL_HINT);
  let records: string[][];
  try {
    const { parse } = require('csv-parse/sync') as typeof import('csv-parse/sync');
    records = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  } catch (err) {
    const e = err as Error & { lines?: number };
    const what = e.message.replace(/ (on|at) line \d+$/, '').replace(/:? ?line \d+/, '');
    return fail(`malformed CSV at line ${e.lines ?? '?'}: ${what}`, 'quote a value that holds a comma or a quote ("a,b", "say ""hi""") and give every row as many fields as the header');
  }
  if (records.length === 0) return fail('the file is empty', 'put a header row (the column names) and at least one row under it');
  const columns = records[0]!;
  const bad = columnProblem(columns);
  if (bad !== null) return fail(`line 1 (the header): ${bad}`, 'the first line names the columns, e.g. user,password');
  if (records.length === 1) return fail('the file has a header row but no rows', 'add at least one row under the header');
  const width = columns.length;
  const cells = new Array<string>((records.length - 1) * width);
  let at = 0;
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    for (let c = 0; c < width; c++) cells[at++] = record[c]!;
  }
  return { ok: true, columns, cells };
}

function columnProblem(columns: readonly string[]): string | null {
  const empty = columns.findIndex((c) => c.trim() === '');
  if (empty >= 0) return `column ${empty + 1} has no name`;
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) return `column "${c}" is named twice`;
    seen.add(c);
  }
  return null;
}

function parseJsonRows(text: string): DataFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (text.trim() === '') return fail('the file is empty', 'write a JSON array of objects, e.g. [{"user": "a", "password": "p"}]');
    return fail(`invalid JSON: ${(err as Error).message}`);
  }
  return rowsOf(value, 'write a JSON array of objects, e.g. [{"user": "a", "password": "p"}]');
}

/** Columns and cells of a parsed array of objects that all have the keys of the first; `shape` is the hint for the wrong shape. */
function rowsOf(value: unknown, shape: string): DataFile {
  if (!Array.isArray(value)) return fail(`the file holds ${value === null ? 'null' : typeof value}, not an array of objects`, shape);
  if (value.length === 0) return fail('the file is an empty array', 'put at least one object in it');
  const first: unknown = value[0];
  if (!isPlainObject(first) || Object.keys(first).length === 0) return fail('element [0] is not an object with at least one key', 'every element is an object such as {"user": "a"}');
  const columns = Object.keys(first);
  const cells = new Array<string>(value.length * columns.length);
  let at = 0;
  for (const [i, item] of value.entries()) {
    if (!isPlainObject(item)) return fail(`element [${i}] is not an object`);
    const keys = Object.keys(item);
    const missing = columns.find((c) => !(c in item));
    const extra = keys.find((k) => !columns.includes(k));
    if (missing !== undefined || extra !== undefined) {
      const which = missing !== undefined ? `lacks "${missing}"` : `has "${extra}", which element [0] has not`;
      return fail(`element [${i}] ${which}`, `every element has the keys of the first: ${columns.join(', ')}`);
    }
    for (const c of columns) {
      const cell = item[c];
      if (typeof cell === 'object' && cell !== null) return fail(`element [${i}].${c} is ${Array.isArray(cell) ? 'an array' : 'an object'}`, 'values are strings, numbers, booleans or null');
      const text = cell === null ? '' : String(cell);
      if (text.includes(CELL_SEPARATOR)) return fail(`element [${i}].${c} holds a NUL character`, NUL_HINT);
      cells[at++] = text;
    }
  }
  return { ok: true, columns, cells };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
