/** `novaload validate <scenario.json>…`: check files, send nothing. */
import { resolve } from 'node:path';
import { formatDuration } from '@novaload/report';
import { plannedDurationMs } from '@novaload/agent';
import type { Args } from '../cli.js';
import type { Io } from '../io.js';
import { loadScenarios } from '../scenario/index.js';

export async function validateCommand(args: Args, io: Io): Promise<number> {
  const files = (args.scenarios as string[]).map((f) => resolve(io.cwd, f));
  const scenarios = await loadScenarios(files, {});
  scenarios.forEach((s, i) => {
    const planned = formatDuration(plannedDurationMs(s.executor));
    io.stdout.write(`ok ${files[i]}: "${s.name}" ${s.executor.type}, ${s.requests.length} request(s), ${planned} planned, ${Object.keys(s.thresholds).length} threshold(s)\n`);
  });
  return 0;
}
