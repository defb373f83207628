/** `novaload report <report.json> --format … [--out F]`: re-render a saved report in any format, to stdout or a file. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderCsv, renderHtml, renderJson, renderJunit, renderMarkdown, type Report } from '@novaload/report';
import { CliError, EXIT } from '../exit-codes.js';
import type { Args } from '../cli.js';
import type { Io } from '../io.js';
import { sidePath, textReport, timelinePath, writeFileAtomic } from '../outputs.js';

/** Read and minimally check a saved v1 report. */
export async function readReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read report ${file}: ${(err as Error).message}`, EXIT.invalidInput);
  }
  let report: Report;
  try {
    report = JSON.parse(text) as Report;
  } catch (err) {
    throw new CliError(`${file} is not JSON: ${(err as Error).message}`, EXIT.invalidInput);
  }
  if (report?.version !== 1 || typeof report.totals !== 'object') {
    throw new CliError(`${file} is not a novaload v1 report (no "version": 1 / "totals")`, EXIT.invalidInput);
  }
  return report;
}

/** Renderers by --format (the choices yargs allows); text is coloured only on a terminal. */
const FORMATS: Record<string, (report: Report, color: boolean) => string> = {
  text: (report, color) => textReport(report, color),
  json: renderJson,
  csv: (report) => renderCsv(report).summary,
  html: renderHtml,
  junit: renderJunit,
  markdown: renderMarkdown,
};

/** Print a saved report in --format, or write it to --out (csv: the timeline and any checks table beside it, as `run --csv` does). */
export async function reportCommand(args: Args, io: Io): Promise<number> {
  const report = await readReport(resolve(io.cwd, String(args.file)));
  const format = String(args.format);
  const render = FORMATS[format] ?? FORMATS.text!;
  if (!args.out) {
    io.stdout.write(render(report, io.stdout.isTTY === true));
    return EXIT.ok;
  }
  const path = resolve(io.cwd, String(args.out));
  await writeFileAtomic(path, render(report, false));
  if (format === 'csv') {
    const csv = renderCsv(report);
    await writeFileAtomic(timelinePath(path), csv.timeline);
    if (csv.checks !== undefined) await writeFileAtomic(sidePath(path, 'checks'), csv.checks);
  }
  return EXIT.ok;
}
