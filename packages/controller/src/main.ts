/**
 * `main(argv, io)`: the whole CLI as a function returning an exit code, so
 * every command is tested in-process. Known failures become their documented
 * exit code and a one-line message; only a bug shows a stack (exit 1).
 */
import { EXIT, CliError } from './exit-codes.js';
import type { Io } from './io.js';
import { parseArgs, type Args } from './cli.js';
import { InputError, formatProblems } from './scenario/problems.js';
/**
 * Each command's module is loaded when it runs: `validate`, `init`,
 * `report` and `--help` do not load the load engine, the thread pool or
 * the WebSocket code, and every CLI start is that much sooner.
 */
const COMMANDS: Record<string, (args: Args, io: Io) => Promise<number>> = {
  run: async (a, io) => (await import('./commands/run.js')).runCommand(a, io),
  agent: async (a, io) => (await import('./commands/agent.js')).agentCommand(a, io),
  bench: async (a, io) => (await import('./commands/bench.js')).benchCommand(a, io),
  demo: async (a, io) => (await import('./commands/demo.js')).demoCommand(a, io),
  validate: async (a, io) => (await import('./commands/validate.js')).validateCommand(a, io),
  report: async (a, io) => (await import('./commands/report.js')).reportCommand(a, io),
  breakpoint: async (a, io) => (await import('./commands/breakpoint.js')).breakpointCommand(a, io),
  init: async (a, io) => (await import('./commands/init.js')).initCommand(a, io),
};

export async function main(argv: string[], io: Io): Promise<number> {
  const parsed = await parseArgs(argv);
  if (parsed.kind === 'help') {
    io.stdout.write(parsed.text);
    return EXIT.ok;
  }
  if (parsed.kind === 'error') {
    io.stderr.write(`novaload: ${parsed.message}\n`);
    return EXIT.invalidInput;
  }
  const command = COMMANDS[String(parsed.args._[0])];
  if (!command) {
    io.stderr.write(`novaload: unknown command "${String(parsed.args._[0])}" (see novaload --help)\n`);
    return EXIT.invalidInput;
  }
  try {
    return await command(parsed.args, io);
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr.write(`novaload: invalid input, nothing was sent:\n${formatProblems(err.problems)}\n`);
      return EXIT.invalidInput;
    }
    if (err instanceof CliError) {
      io.stderr.write(`novaload: ${err.message}\n`);
      return err.exitCode;
    }
    io.stderr.write(`novaload: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return EXIT.internal;
  }
}
