/**
 * Writing what a run produced: the text summary to stdout, report files to
 * disk. Files are written whole (temp file + rename) so a killed process never
 * leaves half a JSON behind. In GitHub Actions the markdown summary is also
 * appended to $GITHUB_STEP_SUMMARY, so every run shows on the job's page.
 */
import { accessSync, constants } from 'node:fs';
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { renderCsv, renderHtml, renderJson, renderJunit, renderMarkdown, renderText, type Report } from '@novaload/report';
import { CliError, EXIT } from './exit-codes.js';
import type { Io } from './io.js';

/** Report files a command may write (flags --out, --csv, --html, --junit, --markdown). */
export interface OutputOptions {
  out?: string;
  csv?: string;
  html?: string;
  junit?: string;
  markdown?: string;
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
  return `${path.slice(0, path.length - ext.length)}.${fileSafe(scenario)}${ext}`;
}

/** A scenario name as it appears in report file names; two names alike here would write one file. */
export function fileSafe(scenario: string): string {
  return scenario.replace(/[^A-Za-z0-9_-]+/g, '-');
}

/** The CSV timeline goes beside the summary: `r.csv` → `r.timeline.csv`. */
export function timelinePath(csvPath: string): string {
  return sidePath(csvPath, 'timeline');
}

/** A CSV document beside the summary: `r.csv` → `r.<part>.csv` (the timeline, the checks table). */
export function sidePath(csvPath: string, part: string): string {
  const ext = extname(csvPath) || '.csv';
  return `${csvPath.slice(0, csvPath.length - extname(csvPath).length)}.${part}${ext}`;
}

const FILE_FLAGS = ['out', 'csv', 'html', 'junit', 'markdown'] as const;

/**
 * Before any load: every report file's directory must be writable, else
 * invalid input (104) naming the flag — a run must not end unable to say
 * what it measured.
 */
export function checkOutputs(opts: OutputOptions, scenarios: readonly string[], cwd: string): void {
  for (const flag of FILE_FLAGS) {
    const file = opts[flag];
    if (!file) continue;
    for (const name of scenarios) {
      const path = resolve(cwd, pathFor(file, name, scenarios.length));
      try {
        accessSync(dirname(path), constants.W_OK);
      } catch (err) {
        throw new CliError(`--${flag} ${path}: cannot write there (${(err as Error & { code?: string }).code ?? (err as Error).message}); nothing was sent`, EXIT.invalidInput);
      }
    }
  }
}

/**
 * Print the summary and write every requested report file. A file that
 * cannot be written is named on stderr and the others are still written;
 * returns the number of files that failed.
 */
/** The text summary; a run file's report is the run's figures, then each workload's section. */
export function textReport(report: Report, color: boolean): string {
  return [report, ...Object.values(report.scenarios ?? {})].map((r) => renderText(r, { color })).join('');
}

export async function emitReport(report: Report, opts: OutputOptions, io: Io, scenarios: number): Promise<number> {
  io.stdout.write(textReport(report, io.stdout.isTTY === true));
  const files: [string, string][] = [];
  const at = (file: string): string => resolve(io.cwd, pathFor(file, report.scenario, scenarios));
  if (opts.out) files.push([at(opts.out), renderJson(report)]);
  if (opts.csv) {
    const csv = renderCsv(report);
    files.push([at(opts.csv), csv.summary], [timelinePath(at(opts.csv)), csv.timeline]);
    if (csv.checks !== undefined) files.push([sidePath(at(opts.csv), 'checks'), csv.checks]);
  }
  if (opts.html) files.push([at(opts.html), renderHtml(report)]);
  if (opts.junit) files.push([at(opts.junit), renderJunit(report)]);
  if (opts.markdown) files.push([at(opts.markdown), renderMarkdown(report)]);
  let failed = 0;
  for (const [path, text] of files) {
    try {
      await writeFileAtomic(path, text);
    } catch (err) {
      failed++;
      io.stderr.write(`novaload: could not write the report ${path}: ${(err as Error).message}\n`);
    }
  }
  await appendStepSummary(report, io);
  return failed;
}

/**
 * Append the markdown summary to the file GitHub Actions names in
 * GITHUB_STEP_SUMMARY. Not a file the user asked for: if it cannot be
 * written, say so on stderr and keep the run's exit code.
 */
async function appendStepSummary(report: Report, io: Io): Promise<void> {
  const file = io.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  try {
    await appendFile(resolve(io.cwd, file), renderMarkdown(report));
  } catch (err) {
    io.stderr.write(`novaload: cannot append the summary to GITHUB_STEP_SUMMARY (${file}): ${(err as Error).message}\n`);
  }
}
