/**
 * Writing what a run produced: the text summary to stdout, report files to
 * disk. Files are written whole (temp file + rename) so a killed process never
 * leaves half a JSON behind.
 */
import { rename, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { renderCsv, renderJson, renderText, type Report } from '@novaload/report';
import type { Io } from './io.js';

/** Report files a command may write (flags --out, --csv). */
export interface OutputOptions {
  out?: string;
  csv?: string;
}

/** Write `text` to `path` atomically. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  await writeFile(tmp, text);
  await rename(tmp, path);
}

/**
 * With several scenarios in one command each gets its own file:
 * `report.json` becomes `report.normal.json`, `report.peak.json`, …
 */
export function pathFor(path: string, scenario: string, scenarios: number): string {
  if (scenarios <= 1) return path;
  const ext = extname(path);
  return `${path.slice(0, path.length - ext.length)}.${scenario.replace(/[^A-Za-z0-9_-]+/g, '-')}${ext}`;
}

/** The CSV timeline goes beside the summary: `r.csv` → `r.timeline.csv`. */
export function timelinePath(csvPath: string): string {
  const ext = extname(csvPath) || '.csv';
  return `${csvPath.slice(0, csvPath.length - extname(csvPath).length)}.timeline${ext}`;
}

/** Print the summary and write every requested report file; returns the paths written. */
export async function emitReport(report: Report, opts: OutputOptions, io: Io, scenarios: number): Promise<string[]> {
  io.stdout.write(renderText(report, { color: io.stdout.isTTY === true }));
  const written: string[] = [];
  if (opts.out) {
    const path = resolve(io.cwd, pathFor(opts.out, report.scenario, scenarios));
    await writeFileAtomic(path, renderJson(report));
    written.push(path);
  }
  if (opts.csv) {
    const path = resolve(io.cwd, pathFor(opts.csv, report.scenario, scenarios));
    const csv = renderCsv(report);
    await writeFileAtomic(path, csv.summary);
    await writeFileAtomic(timelinePath(path), csv.timeline);
    written.push(path, timelinePath(path));
  }
  return written;
}
