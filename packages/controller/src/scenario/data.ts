/**
 * The scenario's `data` block: read the file (relative to the scenario
 * file), check it and its settings, and hold every row for the controller
 * to deal between shares (@novaload/agent data.ts). `validate` and `run`
 * load it alike, so a bad file is a 104 before anything is sent.
 */
import type { LoadedData } from '@novaload/agent';
import { parseDataFile } from './data-file.js';
import { jsonPath, type ProblemList } from './problems.js';
import { readNamedFile } from './read-named.js';
import type { RawData } from './raw.js';

/** The loaded data file, or undefined when there is none or it has problems (recorded at $.data…). */
export function resolveData(problems: ProblemList, scenarioFile: string, raw: RawData | undefined): LoadedData | undefined {
  if (raw?.file === undefined) return undefined;
  const mode = raw.mode ?? 'sequential';
  const onExhausted = raw.onExhausted ?? 'recycle';
  if (raw.onExhausted === 'stop' && mode !== 'sequential') {
    problems.add(jsonPath('data', 'onExhausted'), `"stop" applies to mode "sequential" only, not "${mode}"`, `per-vu and random rows never run out: remove onExhausted, or set "mode": "sequential"`);
  }
  const read = readNamedFile(problems, jsonPath('data', 'file'), scenarioFile, raw.file, 'the data file ');
  if (read === null) return undefined;
  const { path, text } = read;
  const parsed = parseDataFile(path, text);
  if (!parsed.ok) {
    problems.add(jsonPath('data', 'file'), `${path}: ${parsed.message}`, parsed.hint);
    return undefined;
  }
  const { columns, cells } = parsed;
  return { file: raw.file, mode, onExhausted, columns, rows: cells.length / columns.length, cells };
}
