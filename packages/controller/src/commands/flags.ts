/**
 * Checks of flag values that yargs cannot express (positive integers,
 * durations); a bad value is invalid input (104) naming the flag.
 */
import { availableParallelism } from 'node:os';
import { DURATION_HINT, parseDuration } from '@novaload/report';
import { CliError, EXIT } from '../exit-codes.js';
import type { Args } from '../cli.js';
import type { ExecuteOptions } from '../run/execute.js';
import { dashboardOptions } from '../live/options.js';
import { parseTags } from './tags.js';

/**
 * The shared token (--token, else NOVALOAD_TOKEN), or undefined. It travels
 * in an HTTP header, which allows printable ASCII only: a token with a
 * newline (often one read from a file) or another control character would
 * make the connection throw, so it is refused up front, saying where it is.
 */
export function tokenFlag(args: Args, env: Record<string, string | undefined>): string | undefined {
  const fromFlag = args.token !== undefined;
  const token = fromFlag ? String(args.token) : env.NOVALOAD_TOKEN;
  if (token === undefined) return undefined;
  const bad = [...token].findIndex((c) => c < ' ' || c > '~');
  const edge = token !== token.trim();
  if (bad === -1 && !edge) return token;
  const source = fromFlag ? '--token' : 'NOVALOAD_TOKEN';
  const what = bad === -1 ? 'begins or ends with a space' : `holds ${JSON.stringify(token[bad])} at character ${bad + 1}`;
  throw new CliError(
    `${source} ${what}: a token is sent in an HTTP header, which allows printable ASCII only, without spaces at either end; ` +
      `remove it (a token read from a file often ends in a newline: strip it, e.g. --token "$(tr -d '\\r\\n' < token.txt)")`,
    EXIT.invalidInput,
  );
}

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

/** An http(s) URL flag, or undefined when absent. */
export function urlFlag(args: Args, name: string): string | undefined {
  const v = args[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^https?:\/\//.test(v) || !URL.canParse(v)) {
    throw new CliError(`--${name} "${String(v)}" is not an http(s) URL: write it whole, e.g. http://127.0.0.1:9090/api/v1/write`, EXIT.invalidInput);
  }
  return v;
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
    prometheusRW: urlFlag(args, 'prometheus-rw'),
    prometheusRWNative: args['prometheus-rw-native'] === true,
    tags: parseTags(args.tag as string[] | undefined),
  };
  const dashboard = dashboardOptions(args.dashboard, args['dashboard-linger'], args.dashboard === undefined ? undefined : tokenFlag(args, env), options.tags ?? {});
  if (dashboard) options.dashboard = dashboard;
  const agents = intFlag(args, 'agents');
  if (agents !== undefined) {
    options.remote = {
      agents,
      listen: String(args.listen ?? '127.0.0.1:7878'),
      token: tokenFlag(args, env),
      agentTimeoutMs: durationFlag(args, 'agent-timeout') ?? 30_000,
      maxAgentLoss: intFlag(args, 'max-agent-loss', 0) ?? 0,
      tlsCert: args['tls-cert'] as string | undefined,
      tlsKey: args['tls-key'] as string | undefined,
    };
  }
  return options;
}
