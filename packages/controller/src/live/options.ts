/**
 * `--dashboard [host:port]`, `--dashboard-linger D` and the token rule they
 * share with agents: on loopback a token is optional (when one is set, the
 * page, its stream and /metrics ask for it), off loopback it is required,
 * since the page shows the target and its figures to whoever can reach the
 * port.
 */
import { DURATION_HINT, parseDuration } from '@novaload/report';
import { CliError, EXIT } from '../exit-codes.js';
import { isLoopback } from '../remote/auth.js';
import { parseListen } from '../remote/open.js';

/** k6's dashboard address: loopback only, so nothing is exposed unless asked. */
export const DEFAULT_DASHBOARD = '127.0.0.1:5665';

/** What --dashboard, --dashboard-linger, --token and --tag asked for, checked. */
export interface DashboardOptions {
  /** host:port as given (or the default). */
  listen: string;
  host: string;
  port: number;
  token?: string;
  /** How long the page stays after the command's runs end (0: it closes with them). */
  lingerMs: number;
  /** --tag labels for /metrics. */
  tags: Record<string, string>;
}

/** The dashboard options of a command line, or undefined without --dashboard; `flag` is '' for a bare --dashboard. */
export function dashboardOptions(flag: unknown, linger: unknown, token: string | undefined, tags: Record<string, string>): DashboardOptions | undefined {
  if (flag === undefined) {
    if (linger !== undefined) throw new CliError('--dashboard-linger needs --dashboard', EXIT.invalidInput);
    return undefined;
  }
  const listen = flag === '' || flag === true ? DEFAULT_DASHBOARD : String(flag);
  if (!/:\d+$/.test(listen)) {
    throw new CliError(`--dashboard "${listen}" is not host:port (e.g. ${DEFAULT_DASHBOARD}, 0.0.0.0:5665, 127.0.0.1:0); give it after the scenario files, or write --dashboard=${DEFAULT_DASHBOARD}`, EXIT.invalidInput);
  }
  const { host, port } = parseListen(listen, '--dashboard');
  checkDashboardToken(listen, host, token);
  return { listen, host, port, token: token || undefined, lingerMs: lingerFlag(linger), tags };
}

/** Off loopback the dashboard needs a token, as agents' --listen does (104 before anything starts). */
export function checkDashboardToken(listen: string, host: string, token: string | undefined): void {
  if (isLoopback(host) || token) return;
  throw new CliError(`--dashboard ${listen} is off loopback: a token is required (--token or NOVALOAD_TOKEN), then open the page with ?token=…`, EXIT.invalidInput);
}

function lingerFlag(v: unknown): number {
  if (v === undefined || v === '0' || v === 0) return 0;
  const ms = typeof v === 'string' ? parseDuration(v) : null;
  if (ms === null || ms < 0) throw new CliError(`--dashboard-linger "${String(v)}" is not a duration: ${DURATION_HINT}`, EXIT.invalidInput);
  return ms;
}
