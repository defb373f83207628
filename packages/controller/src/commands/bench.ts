/**
 * `novaload bench <url>`: an ad-hoc run from autocannon-like flags. The flags
 * become an ordinary scenario, validated like a file, so bench and run share
 * one engine, one report and the same error messages.
 */
import { resolve } from 'node:path';
import { CliError, EXIT } from '../exit-codes.js';
import type { Args } from '../cli.js';
import type { Io } from '../io.js';
import { resolveScenario } from '../scenario/index.js';
import { executeScenarios } from '../run/execute.js';
import { executeOptions, intFlag, positiveFlag } from './flags.js';

/** Split "name: value" header flags; a header without a colon is invalid input. */
export function parseHeaders(values: string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const h of values ?? []) {
    const at = h.indexOf(':');
    if (at <= 0) throw new CliError(`-H "${h}" is not a header: write "name: value"`, EXIT.invalidInput);
    headers[h.slice(0, at).trim().toLowerCase()] = h.slice(at + 1).trim();
  }
  return headers;
}

/** `http.tls` from --ca, --cert, --key and -k (paths from `cwd`), or undefined when none is given. */
function benchTls(args: Args, cwd: string): Record<string, unknown> | undefined {
  const tls: Record<string, unknown> = {};
  for (const flag of ['ca', 'cert', 'key'] as const) if (args[flag] !== undefined) tls[flag] = resolve(cwd, String(args[flag]));
  if (args.insecure === true) tls.insecure = true;
  return Object.keys(tls).length === 0 ? undefined : tls;
}

/** The scenario a bench command line stands for; file flags are relative to `cwd`. */
export function benchScenario(args: Args, cwd: string): Record<string, unknown> {
  let url: URL;
  try {
    url = new URL(String(args.url));
  } catch {
    throw new CliError(`"${String(args.url)}" is not a URL: write it whole, e.g. http://127.0.0.1:8080/path`, EXIT.invalidInput);
  }
  const connections = intFlag(args, 'connections') ?? 10;
  const pipelining = intFlag(args, 'pipelining') ?? 1;
  const rate = positiveFlag(args, 'rate');
  const method = String(args.method ?? 'GET').toUpperCase();
  const request: Record<string, unknown> = { name: `${method} ${url.pathname}`, method, path: `${url.pathname}${url.search}`, headers: parseHeaders(args.header as string[] | undefined) };
  if (args.body !== undefined) request.body = String(args.body);
  const load = rate === undefined
    ? { executor: 'constant-vus', vus: connections, duration: args.duration }
    : {
        executor: 'constant-arrival-rate',
        rate,
        duration: args.duration,
        maxVUs: connections * pipelining,
        ...(args['arrival-window'] !== undefined && { arrivalWindow: String(args['arrival-window']) }),
      };
  if (rate === undefined && args['arrival-window'] !== undefined) throw new CliError('--arrival-window applies to a fixed rate: add --rate (-R)', EXIT.invalidInput);
  const tls = benchTls(args, cwd);
  return {
    name: 'bench',
    target: url.origin,
    ...load,
    gracefulStop: '2s',
    requests: [request],
    http: { timeout: args.timeout, connections: rate === undefined ? 'per-vu' : connections, pipelining, ...(tls && { tls }) },
  };
}

export async function benchCommand(args: Args, io: Io): Promise<number> {
  const options = executeOptions(args, io.env);
  const scenario = resolveScenario(benchScenario(args, io.cwd), 'novaload bench', {});
  return executeScenarios([scenario], options, io);
}
