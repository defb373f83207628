/**
 * Reading a file a scenario names (a data file, a TLS PEM file): the path
 * is relative to the scenario file, and a file that cannot be read is a
 * problem at its JSON path saying why, with the same hint everywhere.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ProblemList } from './problems.js';

/** The file's absolute path and its text, or null after adding the problem at `at` (`what` names the file in the message). */
export function readNamedFile(problems: ProblemList, at: string, scenarioFile: string, file: string, what: string): { path: string; text: string } | null {
  const path = resolve(dirname(scenarioFile), file);
  try {
    return { path, text: readFileSync(path, 'utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    problems.add(at, `cannot read ${what}${path}: ${reason}`, 'the path is relative to the scenario file');
    return null;
  }
}
