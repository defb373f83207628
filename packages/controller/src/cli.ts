/**
 * Command-line grammar (yargs), parsed in-process: yargs never prints or
 * exits here; `main` decides what is written and which exit code results.
 */
import yargs from 'yargs';
import { didYouMean } from '@novaload/report';
import { VERSION } from '@novaload/agent/version';

/** Flags shared by every command that runs load. */
const RUN_FLAGS = {
  threads: { type: 'number', describe: 'worker threads (default: available cores)' },
  out: { type: 'string', describe: 'write the JSON report to this file' },
  csv: { type: 'string', describe: 'write the summary CSV here and the timeline beside it (NAME.timeline.csv)' },
  html: { type: 'string', describe: 'write a self-contained HTML report (charts, tables; no network needed) to this file' },
  junit: { type: 'string', describe: 'write JUnit XML to this file: one test per threshold, failed critical levels fail' },
  markdown: { type: 'string', describe: 'write a markdown summary to this file (also appended to $GITHUB_STEP_SUMMARY when set)' },
  quiet: { type: 'boolean', default: false, describe: 'no live progress' },
  'hdr-log': { type: 'string', describe: 'write overall latency per second as an HdrHistogram interval log to this file' },
  baseline: { type: 'string', describe: 'an earlier JSON report: show the change and judge relative thresholds ("<+5%") against it' },
  history: { type: 'string', describe: 'a directory of earlier JSON reports: warning/critical levels at 2σ/3σ from their mean' },
  sensitivity: { type: 'number', describe: 'scale the σ of --history levels (default 1)' },
  dashboard: { type: 'string', describe: 'serve the live dashboard and /metrics on host:port (bare: 127.0.0.1:5665; port 0: any free port); off loopback it needs --token' },
  'dashboard-linger': { type: 'string', describe: 'keep the dashboard up this long after the run (default 0), or until Ctrl-C' },
  'prometheus-rw': { type: 'string', describe: 'push live figures to this Prometheus remote-write URL (k6\'s series names), over a file\'s outputs.prometheusRW.url' },
  'prometheus-rw-native': { type: 'boolean', describe: 'also push latency as a native histogram (k6_http_req_duration_seconds; Prometheus --enable-feature=native-histograms)' },
  tag: { type: 'string', array: true, describe: 'k=v label on every live series (/metrics and remote write), e.g. --tag testid=release-42, as k6\'s --tag (repeatable)' },
} as const;

/** bench and demo take the token for the dashboard (run has it among the distributed flags). */
const TOKEN_FLAG = { token: { type: 'string', describe: 'shared secret the dashboard asks for (or NOVALOAD_TOKEN); required off loopback' } } as const;

/** `{{ env.NAME }}` values for scenario templates (run, validate, demo). */
const ENV_FLAG = {
  env: { type: 'string', array: true, describe: 'NAME=VALUE for {{ env.NAME }} in scenario templates, over the environment (repeatable; values never appear in reports)' },
} as const;

const SCALE_FLAGS = {
  target: { type: 'string', describe: 'base URL that replaces the scenario target' },
  vus: { type: 'number', describe: "set each file's peak to N VUs (its ramp scaled to fit; every file gets N: see --scale)" },
  rate: { type: 'number', describe: "set each file's peak arrival rate to N/s (arrival-rate executors; every file gets N: see --scale)" },
  scale: { type: 'number', describe: 'multiply every VU count and arrival rate of every file by F, keeping a suite\'s shape (0.1: 100/500/1000 VUs → 10/50/100); VUs round to whole ones, at least 1' },
  duration: { type: 'string', describe: 'scale the stages so the load lasts D (e.g. 15s)' },
} as const;

const DISTRIBUTED_FLAGS = {
  agents: { type: 'number', describe: 'distributed: wait for N remote agents and run on them' },
  listen: { type: 'string', default: '127.0.0.1:7878', describe: 'distributed: host:port agents connect to' },
  token: { type: 'string', describe: 'shared secret agents must present (or NOVALOAD_TOKEN); required off loopback' },
  'agent-timeout': { type: 'string', default: '30s', describe: 'how long to wait for the agents (exit 107 if they do not all come)' },
  'max-agent-loss': { type: 'number', default: 0, describe: 'agents that may be lost before the run counts as degraded (exit 111)' },
  'tls-cert': { type: 'string', describe: 'PEM certificate: serve wss:// instead of ws://' },
  'tls-key': { type: 'string', describe: 'PEM private key for --tls-cert' },
} as const;

const AGENT_FLAGS = {
  controller: { type: 'string', demandOption: true, describe: 'ws:// or wss:// URL of the controller' },
  token: { type: 'string', describe: 'the controller\'s token (or NOVALOAD_TOKEN)' },
  threads: { type: 'number', describe: 'worker threads (default: available cores)' },
  name: { type: 'string', describe: 'name shown in reports (default: host name and pid)' },
  'allow-hosts': { type: 'string', describe: 'comma-separated target hosts this agent may load (default: any)' },
  ca: { type: 'string', describe: 'PEM CA certificate to trust for wss:// (pins the controller\'s CA)' },
  once: { type: 'boolean', default: false, describe: 'exit after the first controller session ends (batch jobs)' },
} as const;

const BENCH_FLAGS = {
  connections: { alias: 'c', type: 'number', default: 10, describe: 'concurrent connections (closed model: one VU each)' },
  duration: { alias: 'd', type: 'string', default: '10s', describe: 'how long to run' },
  rate: { alias: 'R', type: 'number', describe: 'fixed arrival rate per second (open model; latency counts from the schedule)' },
  'arrival-window': { type: 'string', describe: 'with --rate: send the arrivals due within this window on one wake (default 2ms; 0 = a precise timer per arrival)' },
  pipelining: { alias: 'p', type: 'number', default: 1, describe: 'requests in flight per connection' },
  method: { alias: 'm', type: 'string', default: 'GET', describe: 'HTTP method' },
  header: { alias: 'H', type: 'string', array: true, describe: 'request header "name: value" (repeatable)' },
  body: { alias: 'b', type: 'string', describe: 'request body' },
  timeout: { type: 'string', default: '10s', describe: 'per-request timeout' },
  ca: { type: 'string', describe: 'https: PEM file of the CA to trust for the target (http.tls.ca)' },
  cert: { type: 'string', describe: 'https: PEM client certificate for mutual TLS, with --key (http.tls.cert)' },
  key: { type: 'string', describe: 'https: PEM private key of --cert (http.tls.key)' },
  insecure: { alias: 'k', type: 'boolean', describe: 'https: do not verify the target\'s certificate (http.tls.insecure)' },
} as const;

/** breakpoint's own flags: the steps (see commands/breakpoint.ts for the defaults and why). */
const BREAKPOINT_FLAGS = {
  start: { type: 'number', describe: 'first offered rate per second (default 50)' },
  step: { type: 'number', describe: 'rate added at each step (default: --start)' },
  max: { type: 'number', describe: 'last rate tried (default 1000, or --start if higher)' },
  hold: { type: 'string', describe: 'how long each step is held (default 10s)' },
  threads: RUN_FLAGS.threads,
  out: { type: 'string', describe: 'write the breakpoint JSON (breakpoint.sustainableRate, .failedAt, .knee, .steps) to this file' },
  html: { type: 'string', describe: 'write an HTML page with latency against offered rate and achieved against offered rate' },
  history: { type: 'string', describe: 'a directory of earlier breakpoint --out files: show how the sustainable rate moved (the capacity trend)' },
  quiet: RUN_FLAGS.quiet,
  target: { type: 'string', describe: 'base URL that replaces the scenario target' },
} as const;

/** init's own flags (k6 new's --force). */
const INIT_FLAGS = {
  yaml: { type: 'boolean', describe: 'write YAML instead of JSON (also when --out ends in .yaml or .yml)' },
  name: { type: 'string', describe: 'the scenario\'s name (default: the URL\'s host and port)' },
  out: { type: 'string', describe: 'write the scenario to this file instead of stdout (never over an existing file without --force)' },
  force: { type: 'boolean', describe: 'with --out: replace an existing file' },
} as const;

const REPORT_FORMATS = ['text', 'json', 'csv', 'html', 'junit', 'markdown'] as const;

/** The options each command takes: registered from here, and the first place "did you mean" looks for a typo's flag. */
const COMMAND_OPTIONS = {
  run: { ...RUN_FLAGS, ...SCALE_FLAGS, ...DISTRIBUTED_FLAGS, ...ENV_FLAG },
  agent: AGENT_FLAGS,
  bench: { ...RUN_FLAGS, ...BENCH_FLAGS, ...TOKEN_FLAG },
  breakpoint: { ...BREAKPOINT_FLAGS, ...DISTRIBUTED_FLAGS, ...ENV_FLAG },
  demo: { ...RUN_FLAGS, duration: { type: 'string', default: '15s', describe: 'how long the demo load runs' }, scale: SCALE_FLAGS.scale, ...ENV_FLAG, ...TOKEN_FLAG },
  validate: { target: { type: 'string', describe: 'base URL that replaces the scenario target (without it, a file without "target" gets a note)' }, ...ENV_FLAG },
  init: INIT_FLAGS,
  report: {
    format: { type: 'string', choices: REPORT_FORMATS, default: 'text' },
    out: { type: 'string', describe: 'write to this file instead of stdout (csv: the timeline beside it, NAME.timeline.csv)' },
  },
} as const;

const COMMAND_NAMES = ['run', 'agent', 'bench', 'breakpoint', 'demo', 'validate', 'report', 'init'];

/** The long flags a command takes, `help` included (empty for an unknown command). */
export function commandFlags(command: string): string[] {
  const options = (COMMAND_OPTIONS as Record<string, object>)[command];
  return options === undefined ? [] : [...Object.keys(options), 'help'];
}

/** Every flag name, for "did you mean" on unknown ones. */
export const ALL_FLAGS = [...Object.keys(RUN_FLAGS), ...Object.keys(SCALE_FLAGS), ...Object.keys(DISTRIBUTED_FLAGS), ...Object.keys(AGENT_FLAGS), ...Object.keys(BENCH_FLAGS), ...Object.keys(ENV_FLAG), ...Object.keys(BREAKPOINT_FLAGS), ...Object.keys(INIT_FLAGS), 'format', 'help', 'version'];

/**
 * yargs renders a command's whole help text (cliui, string-width) each time
 * the command parses, only to keep it for a yargs handler that fails later.
 * novaload's commands have no yargs handler (main.ts runs them), so that
 * text was never read, and it cost every CLI process 90–140 ms, more than
 * the parse itself. Help that is asked for (--help, a usage error) is
 * rendered as before: only this cache is skipped.
 */
function withoutHelpCache<T>(y: T): T {
  const usage = (y as { getInternalMethods?: () => { getUsageInstance(): { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
  return y;
}

function parser() {
  return withoutHelpCache(parserWithHelp());
}

function parserWithHelp() {
  return yargs()
    .scriptName('novaload')
    .usage('$0 <command> [options]\n\nDistributed HTTP load testing: exact percentiles, no coordinated omission, CI-ready exit codes.')
    .command('run <scenarios..>', 'run scenario files in order on local worker threads', (y) =>
      y.positional('scenarios', { type: 'string', array: true, describe: 'scenario or run files (JSON, or YAML when named .yaml/.yml)' }).options(COMMAND_OPTIONS.run),
    )
    .command('agent', 'a remote agent: connect to a controller and run the shares it is given', (y) => y.options(COMMAND_OPTIONS.agent))
    .command('bench <url>', 'ad-hoc benchmark of one URL (autocannon-like flags)', (y) =>
      y.positional('url', { type: 'string', describe: 'http(s) URL on a host you may load' }).options(COMMAND_OPTIONS.bench),
    )
    .command('breakpoint <input>', 'raise a constant arrival rate step by step: the highest rate that holds the critical thresholds, and the knee', (y) =>
      y.positional('input', { type: 'string', describe: 'a scenario file (JSON or YAML), or a URL (judged by the runbook KPIs: p99 < 2s, error rate < 1%)' }).options(COMMAND_OPTIONS.breakpoint),
    )
    .command('demo', 'start the embedded demo API on loopback and run a short normal profile against it', (y) =>
      y.options(COMMAND_OPTIONS.demo),
    )
    .command('validate <scenarios..>', 'check scenario files as run would; sends nothing', (y) =>
      y.positional('scenarios', { type: 'string', array: true }).options(COMMAND_OPTIONS.validate),
    )
    .command('init <url>', 'print a starter scenario for a URL (the runbook\'s KPI thresholds), e.g. novaload init https://staging.example.com/ > smoke.json', (y) =>
      y.positional('url', { type: 'string', describe: 'http(s) URL: its origin becomes the target, its path the one request' }).options(COMMAND_OPTIONS.init),
    )
    .command('report <file>', 're-render a saved JSON report', (y) =>
      y.positional('file', { type: 'string' }).options(COMMAND_OPTIONS.report),
    )
    .epilogue('Exit codes: 0 passed (warnings allowed), 1 internal error, 99 critical threshold failed,\n104 invalid input (nothing sent), 105 interrupted (report written), 107 could not start,\n108 aborted by threshold, 111 degraded, 112 generator saturated (breakpoint).')
    .demandCommand(1, 'name a command: init, run, agent, bench, breakpoint, demo, validate or report')
    .recommendCommands()
    .strict()
    .help()
    .version(false)
    .wrap(100);
}

/** Parsed arguments, with the command name first. */
export type Args = Record<string, unknown> & { _: (string | number)[] };

export type ParseOutcome = { kind: 'args'; args: Args } | { kind: 'help'; text: string } | { kind: 'error'; message: string };

/** Parse argv without side effects. */
export async function parseArgs(argv: string[]): Promise<ParseOutcome> {
  const first = argv[0];
  if (argv.length === 1 && first === '--version') return { kind: 'help', text: `novaload ${VERSION}\n` };
  if (first !== undefined && !first.startsWith('-') && !COMMAND_NAMES.includes(first)) {
    const guess = didYouMean(first, COMMAND_NAMES);
    return { kind: 'error', message: `unknown command "${first}"${guess ? `: did you mean "${guess}"?` : ''} (commands: ${COMMAND_NAMES.join(', ')})` };
  }
  let failure: Error | undefined;
  let output = '';
  let args: Args;
  try {
    args = (await parser().parseAsync(argv, {}, (err: Error | undefined, _a: unknown, out: string) => {
      failure = err;
      output = out;
    })) as Args;
  } catch (err) {
    // yargs throws on a flag named like an Object property (--constructor, --to-string): name it as any unknown flag.
    const unknown = unknownFlags(argv);
    return { kind: 'error', message: unknown.length > 0 ? `${unknown.map((n) => flagHint(n, argv)).join('\n')}\n(see novaload --help)` : `cannot read the command line: ${(err as Error).message}` };
  }
  if (failure) return { kind: 'error', message: explain(failure.message, argv) };
  // yargs also takes spellings that camelCase to a flag (--hdr--log, --max_agent-loss) but keeps their value apart, unused: refuse them.
  const odd = unknownFlags(argv);
  if (odd.length > 0) return { kind: 'error', message: `${odd.map((n) => flagHint(n, argv)).join('\n')}\n(see novaload --help)` };
  if (output) return { kind: 'help', text: output.endsWith('\n') ? output : `${output}\n` };
  // yargs runs a command only when it comes before "--" (`novaload -- run` ran nothing and left `run` without its arguments).
  if (!beforeDashes(argv).includes(String(args._[0]))) return { kind: 'error', message: `name a command before "--" (commands: ${COMMAND_NAMES.join(', ')})` };
  // yargs drops a bare "-" from the positionals, which left `run -` with no scenario at all (and exit 0).
  const command = String(args._[0]);
  if (command === 'run' || command === 'validate') {
    if (beforeDashes(argv).includes('-')) return { kind: 'error', message: `"-" is not a scenario file: ${command} reads scenarios from files, not from standard input` };
    if (!(Array.isArray(args.scenarios) && args.scenarios.length > 0)) return { kind: 'error', message: `${command} needs at least one scenario file` };
  }
  return { kind: 'args', args };
}

/**
 * Add "did you mean" to yargs' unknown-argument messages. yargs checks
 * positionals before flags, so `run --thraeds 2 f.json`… can fail for a
 * missing positional the unknown flag swallowed: unknown flags are named first then too.
 */
function explain(message: string, argv: string[]): string {
  const m = /^Unknown arguments?: (.*)$/.exec(message);
  if (!m) {
    const unknown = unknownFlags(argv);
    return unknown.length > 0 ? `${unknown.map((n) => flagHint(n, argv)).join('\n')}\n${message}\n(see novaload --help)` : message;
  }
  const typed = flagNames(argv);
  // yargs also reports the camelCase copy of an unknown --kebab-flag: name the flag once, as typed.
  const names = m[1]!.split(', ').filter((name) => typed.includes(name) || !typed.some((t) => camelCase(t) === name));
  const hints = names.map((name) => {
    if (!argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`) || a === `-${name}`)) return `unexpected argument "${name}"`;
    return flagHint(name, argv);
  });
  return `${hints.join('\n')}\n(see novaload --help)`;
}

/** A flag of another command is named as such (not "did you mean" itself); others get the closest flag. */
function flagHint(name: string, argv: string[]): string {
  const command = beforeDashes(argv).find((a) => COMMAND_NAMES.includes(a));
  if (command !== undefined && ALL_FLAGS.includes(name)) return `flag --${name} does not apply to "${command}"`;
  // The command's own flags first: `agent --held` meant --help, not breakpoint's --hold.
  const guess = didYouMean(name, commandFlags(command ?? '')) ?? didYouMean(name, ALL_FLAGS.filter((f) => f !== name));
  return guess ? `unknown flag --${name}: did you mean --${guess}?` : `unknown flag --${name}`;
}

/** Every spelling yargs reads as a known flag: names and their camelCase forms (--no-x negates x). */
const KNOWN_FLAGS = new Set([...ALL_FLAGS, ...ALL_FLAGS.map(camelCase)]);

/** yargs-parser's camelCase: the second key yargs sets (and reports) for a --kebab-flag ("hdr-log" → "hdrLog", "cs-" → "cs"). */
function camelCase(flag: string): string {
  const s = flag !== flag.toLowerCase() && flag !== flag.toUpperCase() ? flag : flag.toLowerCase();
  return /[-_]/.test(s) ? s.replace(/^-+/, '').replace(/[-_]+(.?)/g, (_, c: string) => c.toUpperCase()) : s;
}

/** The arguments before `--` (after it, every word is a plain argument). */
function beforeDashes(argv: string[]): string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

/** Names of the `--name` and `--name=value` flags before `--`. */
function flagNames(argv: string[]): string[] {
  return beforeDashes(argv).filter((a) => /^--[^-]/.test(a)).map((a) => a.slice(2).split('=')[0]!);
}

/** Flags in argv that no command has. */
function unknownFlags(argv: string[]): string[] {
  return [...new Set(flagNames(argv).filter((n) => !KNOWN_FLAGS.has(n) && !KNOWN_FLAGS.has(n.replace(/^no-/, ''))))];
}
