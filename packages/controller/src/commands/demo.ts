/**
 * `novaload demo`: the embedded demo API on loopback, the runbook's normal
 * profile scaled down to a short run against it, and the report.
 */
import type { Args } from '../cli.js';
import type { Io } from '../io.js';
import { startDemoApi } from '../demo-api.js';
import { loadScenarios } from '../scenario/index.js';
import { executeScenarios } from '../run/execute.js';
import { durationFlag, executeOptions, positiveFlag } from './flags.js';
import { templateEnv } from './env-flag.js';
import { shippedFile } from '../shipped.js';


export async function demoCommand(args: Args, io: Io): Promise<number> {
  const options = executeOptions(args, io.env);
  const api = await startDemoApi();
  try {
    io.stderr.write(`demo API listening on ${api.url}\n`);
    const scenarios = await loadScenarios([shippedFile('scenarios/normal.json')], { target: api.url, durationMs: durationFlag(args, 'duration') ?? 15_000, scale: positiveFlag(args, 'scale') }, { env: templateEnv(args, io.env) });
    return await executeScenarios(scenarios, options, io);
  } finally {
    await api.close();
  }
}
