/** `novaload run <scenario.json>…`: every file is validated before any load starts. */
import { resolve } from 'node:path';
import type { Args } from '../cli.js';
import type { Io } from '../io.js';
import { CliError, EXIT } from '../exit-codes.js';
import { loadFiles } from '../scenario/index.js';
import { executeScenarios } from '../run/execute.js';
import { templateEnv } from './env-flag.js';
import { durationFlag, executeOptions, intFlag, positiveFlag } from './flags.js';

export async function runCommand(args: Args, io: Io): Promise<number> {
  const options = executeOptions(args, io.env);
  if (args.scale !== undefined && (args.vus !== undefined || args.rate !== undefined)) {
    const other = args.vus !== undefined ? '--vus' : '--rate';
    throw new CliError(`--scale does not combine with ${other}: --scale multiplies every file's VUs and rates, ${other} sets each file's peak; use one of them`, EXIT.invalidInput);
  }
  const files = (args.scenarios as string[]).map((f) => resolve(io.cwd, f));
  const scenarios = await loadFiles(files, {
    target: args.target as string | undefined,
    vus: intFlag(args, 'vus'),
    rate: positiveFlag(args, 'rate'),
    scale: positiveFlag(args, 'scale'),
    durationMs: durationFlag(args, 'duration'),
  }, { env: templateEnv(args, io.env) });
  return executeScenarios(scenarios, options, io);
}
