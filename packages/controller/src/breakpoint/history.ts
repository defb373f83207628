/**
 * `breakpoint --history DIR`: the runbook's capacity trend. The earlier
 * breakpoint JSONs of the same scenario in DIR, oldest first, show how the
 * sustainable rate moved up to this run. No forecast: a line through a few
 * noisy points would claim more than they say.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError, EXIT } from '../exit-codes.js';

/** One earlier run in the trend. */
export interface HistoryPoint {
  startedAt: string;
  sustainableRate: number | null;
  stoppedBy: string;
  /** The file it was read from. */
  file: string;
}

/**
 * Earlier breakpoint results of `scenario` in `dir`, oldest first. Files that
 * are not breakpoint JSON of this scenario (other reports, other scenarios)
 * are passed over; a directory that cannot be read is invalid input.
 */
export async function readHistory(dir: string, scenario: string): Promise<HistoryPoint[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (err) {
    throw new CliError(`--history ${dir}: cannot read the directory (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); give a directory of earlier breakpoint --out files`, EXIT.invalidInput);
  }
  const points: HistoryPoint[] = [];
  for (const name of names) {
    const point = await pointOf(join(dir, name), scenario);
    if (point) points.push(point);
  }
  return points.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

async function pointOf(file: string, scenario: string): Promise<HistoryPoint | null> {
  let doc: unknown;
  try {
    doc = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return null;
  }
  const d = doc as { kind?: unknown; scenario?: unknown; startedAt?: unknown; breakpoint?: { sustainableRate?: unknown; stoppedBy?: unknown } };
  if (d?.kind !== 'breakpoint' || d.scenario !== scenario || typeof d.startedAt !== 'string' || typeof d.breakpoint !== 'object' || d.breakpoint === null) return null;
  const rate = d.breakpoint.sustainableRate;
  if (rate !== null && typeof rate !== 'number') return null;
  return { startedAt: d.startedAt, sustainableRate: rate, stoppedBy: String(d.breakpoint.stoppedBy), file };
}

/** The trend as text: each earlier run, then this one, with the change since the last earlier run that had a rate. */
export function historyText(points: readonly HistoryPoint[], now: number | null): string {
  if (points.length === 0) return '  capacity trend:   no earlier breakpoint runs of this scenario in --history\n';
  const rate = (r: number | null): string => (r === null ? 'none' : `${r}/s`);
  const lines = points.map((p) => `    ${p.startedAt}  ${rate(p.sustainableRate)}${p.stoppedBy === 'generator' ? ' (generator saturated)' : ''}`);
  const last = [...points].reverse().find((p) => p.sustainableRate !== null)?.sustainableRate ?? null;
  const change = now !== null && last !== null && last > 0 ? ` (${now >= last ? '+' : ''}${(((now - last) / last) * 100).toFixed(1)}% since ${last}/s)` : '';
  return `  capacity trend (sustainable rate, ${points.length} earlier run${points.length === 1 ? '' : 's'}):\n${lines.join('\n')}\n    now  ${rate(now)}${change}\n`;
}
