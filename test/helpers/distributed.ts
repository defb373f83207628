/**
 * Start a controller waiting for agents on a free loopback port, and real
 * `novaload agent` processes pointed at it.
 */
import { startCli, type CliOptions, type CliRun } from './cli.js';

export interface Controller extends CliRun {
  /** ws:// URL the controller listens on. */
  url: string;
}

/** `novaload run <args> --listen 127.0.0.1:0`; resolves once it is listening. */
export async function startController(args: string[], timeoutMs = 60_000, opts: CliOptions = {}): Promise<Controller> {
  const run = startCli([...args, '--listen', '127.0.0.1:0'], { ...opts, timeoutMs });
  await Promise.race([run.stderrIncludes(' (for '), run.result]);
  const m = / on (wss?:\/\/127\.0\.0\.1:\d+) \(for /.exec(run.stderr());
  if (!m) throw new Error(`controller did not listen:\n${run.stderr()}`);
  return { ...run, url: m[1]! };
}

/** `novaload agent --controller url …`. */
export function startAgent(url: string, args: string[] = [], timeoutMs = 60_000, opts: CliOptions = {}): CliRun {
  return startCli(['agent', '--controller', url, '--threads', '1', ...args], { ...opts, timeoutMs });
}
