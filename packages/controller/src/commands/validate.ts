/**
 * `novaload validate <scenario.json>… [--target URL]`: check files as `run`
 * would, send nothing. Without --target, a file without "target" is fine
 * (run --target may supply it): it gets a note, not a failure.
 */
import { resolve } from 'node:path';
import { formatDuration } from '@novaload/report';
import { plannedDurationMs, plannedIterations, type ResolvedScenario } from '@novaload/agent';
import type { Args } from '../cli.js';
import type { Io } from '../io.js';
import { loadFiles } from '../scenario/index.js';
import { templateEnv } from './env-flag.js';

export async function validateCommand(args: Args, io: Io): Promise<number> {
  const files = (args.scenarios as string[]).map((f) => resolve(io.cwd, f));
  const target = args.target as string | undefined;
  const loaded = await loadFiles(files, { target }, { targetLater: true, env: templateEnv(args, io.env) });
  loaded.forEach((l, i) => {
    if (!('workloads' in l)) return describe(io, files[i]!, l);
    io.stdout.write(`ok ${files[i]}: run "${l.name}", ${l.workloads.length} workload(s) at once, ${Object.keys(l.thresholds).length} run-wide threshold(s)\n`);
    for (const w of l.workloads) describe(io, `${files[i]} ${w.scenario.name}`, w.scenario, w.startMs);
  });
  return 0;
}

/** The lines for one scenario (`startMs`: a run file's workload, which starts that late). */
function describe(io: Io, where: string, s: ResolvedScenario, startMs?: number): void {
  const duration = formatDuration(plannedDurationMs(s.executor));
  const iterations = plannedIterations(s.executor);
  const planned = iterations === null ? `${duration} planned` : `${iterations} iteration(s) planned within ${duration}`;
  const start = startMs === undefined ? '' : `, starts at ${formatDuration(startMs)}`;
  io.stdout.write(`ok ${where}: "${s.name}" ${s.executor.type}, ${s.requests.length} request(s), ${planned}${start}, ${Object.keys(s.thresholds).length} threshold(s)\n`);
  if (s.data) io.stdout.write(`data ${where}: ${s.data.file}, ${s.data.rows} row(s), columns ${s.data.columns.join(', ')} (${s.data.mode}${s.data.mode === 'sequential' ? `, ${s.data.onExhausted}` : ''})\n`);
  if (s.target === '') io.stdout.write(`note ${where}: no "target" in the file: run it with --target URL (or set "target")\n`);
}
