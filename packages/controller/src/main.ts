/**
 * `main(argv, io)`: the whole CLI as a function returning an exit code, so
 * every command is tested in-process. Known failures become their documented
 * exit code and a one-line message; only a bug shows a stack (exit 1).
 */
import { EXIT, CliError } from './exit-codes.js';
import type { Io } from './io.js';
import { parseArgs, type Args } from './cli.js';
import { InputError, formatProblems } from './scenario/index.js';
import { runCommand } from './commands/run.js';
import { agentCommand } from './commands/agent.js';
import { benchCommand } from './commands/bench.js';
import { demoCommand } from './commands/demo.js';
import { validateCommand } from './commands/validate.js';
import { reportCommand } from './commands/report.js';
import { breakpointCommand } from './commands/breakpoint.js';
import { initCommand } from './commands/init.js';

const COMMANDS: Record<string, (args: Args, io: Io) => Promise<number>> = {
  run: runCommand,
  agent: agentCommand,
  bench: benchCommand,
  demo: demoCommand,
  validate: validateCommand,
  report: reportCommand,
  breakpoint: breakpointCommand,
  init: initCommand,
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
