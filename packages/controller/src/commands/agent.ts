/**
 * `novaload agent --controller ws://host:port`: a remote agent. Runs until
 * interrupted (or, with --once, until its first controller session ends).
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { AgentEnd } from '@novaload/agent/remote-client';
import { CliError, EXIT } from '../exit-codes.js';
import type { Args } from '../cli.js';
import type { Io } from '../io.js';
import { executeOptions, tokenFlag } from './flags.js';

/** released 0 (also when sent away as not needed); interrupted 105; refused (wrong token or untrusted certificate, with --once) 104; controller lost (with --once) 111. */
const EXIT_OF: Record<AgentEnd, number> = { released: EXIT.ok, interrupted: EXIT.interrupted, refused: EXIT.invalidInput, lost: EXIT.degraded };

export async function agentCommand(args: Args, io: Io): Promise<number> {
  const controller = String(args.controller);
  if (!/^wss?:\/\/[^/]+/.test(controller)) throw new CliError(`--controller "${controller}" is not a ws:// or wss:// URL (e.g. ws://10.0.0.5:7878)`, EXIT.invalidInput);
  const { threads } = executeOptions(args);
  let ca: string | undefined;
  if (args.ca !== undefined) {
    try {
      ca = await readFile(resolve(io.cwd, String(args.ca)), 'utf8');
    } catch (err) {
      throw new CliError(`cannot read --ca ${String(args.ca)}: ${(err as Error).message}`, EXIT.invalidInput);
    }
  }
  const token = tokenFlag(args, io.env);
  const allowHosts = args['allow-hosts'] === undefined ? undefined : String(args['allow-hosts']).split(',').map((h) => h.trim()).filter(Boolean);
  const abort = new AbortController();
  // The handler leaves after the first request, so a deliberate second signal exits at once (entry.ts).
  const unsubscribe = io.onSignal((signal) => {
    io.stderr.write(`${signal}: stopping the load and leaving; a second signal exits at once\n`);
    unsubscribe();
    abort.abort();
  });
  let end: AgentEnd;
  try {
    // Loaded here, not at start-up: the client pulls in ws, which no other command needs.
    const { runAgent } = await import('@novaload/agent/remote-client');
    end = await runAgent(
      {
        controller,
        token,
        threads,
        name: (args.name as string | undefined) ?? `${hostname()}-${process.pid}`,
        allowHosts,
        ca,
        once: args.once === true,
        log: (line) => io.stderr.write(`agent: ${line}\n`),
      },
      abort.signal,
    );
  } finally {
    unsubscribe();
  }
  return EXIT_OF[end];
}
