/** `novaload report <report.json> --format …`: re-render a saved report. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderCsv, renderJson, renderText, type Report } from '@novaload/report';
import { CliError, EXIT } from '../exit-codes.js';
import type { Args } from '../cli.js';
import type { Io } from '../io.js';

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

export async function reportCommand(args: Args, io: Io): Promise<number> {
  const report = await readReport(resolve(io.cwd, String(args.file)));
  switch (args.format) {
    case 'json':
      io.stdout.write(renderJson(report));
      break;
    case 'csv':
      io.stdout.write(renderCsv(report).summary);
      break;
    default:
      io.stdout.write(renderText(report, { color: io.stdout.isTTY === true }));
  }
  return EXIT.ok;
}
