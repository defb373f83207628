/**
 * `novaload validate <scenario.json>… [--target URL]`: check files as `run`
 * would, send nothing. Without --target, a file without "target" is fine
 * (run --target may supply it): it gets a note, not a failure.
 */
import { resolve } from 'node:path';
import { formatDuration } from '@novaload/report';
import { plannedDurationMs, plannedIterations } from '@novaload/agent';
import type { Args } from '../cli.js';
import type { Io } from '../io.js';
import { loadScenarios } from '../scenario/index.js';
import { templateEnv } from './env-flag.js';

export async function validateCommand(args: Args, io: Io): Promise<number> {
  const files = (args.scenarios as string[]).map((f) => resolve(io.cwd, f));
  const target = args.target as string | undefined;
  const scenarios = await loadScenarios(files, { target }, { targetLater: true, env: templateEnv(args, io.env) });
  scenarios.forEach((s, i) => {
    const duration = formatDuration(plannedDurationMs(s.executor));
    const iterations = plannedIterations(s.executor);
    const planned = iterations === null ? `${duration} planned` : `${iterations} iteration(s) planned within ${duration}`;
    io.stdout.write(`ok ${files[i]}: "${s.name}" ${s.executor.type}, ${s.requests.length} request(s), ${planned}, ${Object.keys(s.thresholds).length} threshold(s)\n`);
    if (s.data) io.stdout.write(`data ${files[i]}: ${s.data.file}, ${s.data.rows} row(s), columns ${s.data.columns.join(', ')} (${s.data.mode}${s.data.mode === 'sequential' ? `, ${s.data.onExhausted}` : ''})\n`);
    if (s.target === '') io.stdout.write(`note ${files[i]}: no "target" in the file: run it with --target URL (or set "target")\n`);
  });
  return 0;
}
