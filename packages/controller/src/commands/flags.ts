/**
 * Checks of flag values that yargs cannot express (positive integers,
 * durations); a bad value is invalid input (104) naming the flag.
 */
import { availableParallelism } from 'node:os';
import { DURATION_HINT, parseDuration } from '@novaload/report';
import { CliError, EXIT } from '../exit-codes.js';
import type { Args } from '../cli.js';
import type { ExecuteOptions } from '../run/execute.js';

/** A flag that must be a whole number ≥ min, or undefined when absent. */
export function intFlag(args: Args, name: string, min = 1): number | undefined {
  const v = args[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
    throw new CliError(`--${name} must be a whole number ≥ ${min} (got ${String(args[name])})`, EXIT.invalidInput);
  }
  return v;
}

/** A flag that must be a number > 0, or undefined when absent. */
export function positiveFlag(args: Args, name: string): number | undefined {
  const v = args[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new CliError(`--${name} must be a number > 0 (got ${String(v)})`, EXIT.invalidInput);
  }
  return v;
}

/** A duration flag in ms, or undefined when absent. */
export function durationFlag(args: Args, name: string): number | undefined {
  const v = args[name];
  if (v === undefined) return undefined;
  const ms = typeof v === 'string' ? parseDuration(v) : null;
  if (ms === null || ms <= 0) throw new CliError(`--${name} "${String(v)}" is not a duration: ${DURATION_HINT}`, EXIT.invalidInput);
  return ms;
}

/** The flags every load-running command shares. */
export function executeOptions(args: Args, env: Record<string, string | undefined> = {}): ExecuteOptions {
  const options: ExecuteOptions = {
    threads: intFlag(args, 'threads') ?? availableParallelism(),
    quiet: args.quiet === true,
    out: args.out as string | undefined,
    csv: args.csv as string | undefined,
    html: args.html as string | undefined,
    junit: args.junit as string | undefined,
    markdown: args.markdown as string | undefined,
    hdrLog: args['hdr-log'] as string | undefined,
    baseline: args.baseline as string | undefined,
    history: args.history as string | undefined,
    sensitivity: positiveFlag(args, 'sensitivity'),
  };
  const agents = intFlag(args, 'agents');
  if (agents !== undefined) {
    options.remote = {
      agents,
      listen: String(args.listen ?? '127.0.0.1:7878'),
      token: (args.token as string | undefined) ?? env.NOVALOAD_TOKEN,
      agentTimeoutMs: durationFlag(args, 'agent-timeout') ?? 30_000,
      maxAgentLoss: intFlag(args, 'max-agent-loss', 0) ?? 0,
      tlsCert: args['tls-cert'] as string | undefined,
      tlsKey: args['tls-key'] as string | undefined,
    };
  }
  return options;
}
