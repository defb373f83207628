/**
 * Writing what a run produced: the text summary to stdout, report files to
 * disk. Files are written whole (temp file + rename) so a killed process never
 * leaves half a JSON behind. In GitHub Actions the markdown summary is also
 * appended to $GITHUB_STEP_SUMMARY, so every run shows on the job's page.
 */
import { appendFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { renderCsv, renderHtml, renderJson, renderJunit, renderMarkdown, renderText, type Report } from '@novaload/report';
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
  const documents: [string | undefined, (r: Report) => string][] = [
    [opts.html, renderHtml],
    [opts.junit, renderJunit],
    [opts.markdown, renderMarkdown],
  ];
  for (const [file, render] of documents) {
    if (!file) continue;
    const path = resolve(io.cwd, pathFor(file, report.scenario, scenarios));
    await writeFileAtomic(path, render(report));
    written.push(path);
  }
  await appendStepSummary(report, io);
  return written;
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
