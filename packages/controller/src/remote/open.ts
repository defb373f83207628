/**
 * Distributed mode's start: check the listen address and token rules, listen,
 * wait for the agents (exit 107 if they do not all come), and hand back a
 * runner over them. Interrupting while waiting sends nothing and exits 105.
 */
import { readFile } from 'node:fs/promises';
import { CliError, EXIT } from '../exit-codes.js';
import type { Io } from '../io.js';
import type { RunControl } from '../run/control.js';
import { openFilesLimit } from '@novaload/agent';
import { cleartextWarning, isLoopback } from './auth.js';
import { AgentServer } from './agent-server.js';
import { handshakeCap, maxMessageBytes } from './limits.js';
import { RemoteRunner } from './remote-runner.js';

export interface RemoteOptions {
  agents: number;
  /** host:port to listen on (default 127.0.0.1:7878). */
  listen: string;
  token?: string;
  agentTimeoutMs: number;
  maxAgentLoss: number;
  tlsCert?: string;
  tlsKey?: string;
}

/** What the run needs to size its limits: the most request names of any of its scenarios. */
export interface RemoteSizing {
  requestNames: number;
}

/** Split "host:port" ("[::1]:7878" for IPv6); a bad one is invalid input. */
export function parseListen(listen: string, flag = '--listen'): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(listen);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new CliError(`${flag} "${listen}" is not host:port (e.g. 127.0.0.1:7878, 0.0.0.0:7878, [::1]:7878)`, EXIT.invalidInput);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export async function openRemoteRunner(opts: RemoteOptions, sizing: RemoteSizing, io: Io, control: RunControl): Promise<RemoteRunner> {
  const { host, port } = parseListen(opts.listen);
  if (!isLoopback(host) && !opts.token) {
    throw new CliError(`--listen ${opts.listen} is off loopback: a token is required (--token or NOVALOAD_TOKEN) so only your agents can join`, EXIT.invalidInput);
  }
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new CliError('--tls-cert and --tls-key go together', EXIT.invalidInput);
  const tls = opts.tlsCert && opts.tlsKey ? { cert: await readPem(opts.tlsCert), key: await readPem(opts.tlsKey) } : undefined;
  const log = (line: string): void => io.stderr.write(`${line}\n`);
  const warning = cleartextWarning(opts.listen, host, tls !== undefined);
  if (warning) log(warning);
  const server = await AgentServer.listen({
    host,
    port,
    token: opts.token,
    tls,
    maxMessageBytes: maxMessageBytes(sizing.requestNames),
    handshakeCap: handshakeCap(openFilesLimit()),
    log,
  });
  log(`waiting for ${opts.agents} agent(s) on ${server.url} (for ${Math.round(opts.agentTimeoutMs / 1000)} s)`);
  const stopped = new Promise<never>((_, reject) => control.onStop(() => reject(new CliError('interrupted while waiting for agents; no request was sent', EXIT.interrupted))));
  try {
    const links = await Promise.race([server.waitForAgents(opts.agents, opts.agentTimeoutMs), stopped]);
    return new RemoteRunner(links, log, () => server.close());
  } catch (err) {
    await server.close();
    throw err;
  }
}

async function readPem(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as Error).message}`, EXIT.invalidInput);
  }
}
