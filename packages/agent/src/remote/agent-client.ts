/**
 * The `novaload agent` process: connects to its controller (retrying with
 * backoff until it is up), authenticates with a token, runs the shares it is
 * planned on its own worker threads, streams their snapshots, and stays for
 * the next run. If the controller vanishes, the load stops at once (threads
 * are torn down) and the agent goes back to waiting.
 */
import { WebSocket } from 'ws';
import { LocalPool } from '../local-pool.js';
import { AgentSession } from './agent-session.js';
import { MAX_RUNS } from './protocol.js';

export interface AgentOptions {
  /** ws:// or wss:// URL of the controller. */
  controller: string;
  token?: string;
  threads: number;
  name: string;
  /** Hosts this agent may load; empty or undefined = any. */
  allowHosts?: string[];
  /** PEM CA bundle to pin for wss. */
  ca?: string;
  /** Leave after the first session with a controller ends (for batch jobs). */
  once?: boolean;
  log(line: string): void;
}

const BACKOFF_MS = { first: 250, max: 5000 };

/**
 * How an agent's work ended: released by its controller (after a run, or
 * because it was not needed), interrupted by a signal, refused (wrong token
 * or an untrusted certificate: with `once` it gives up), or its controller
 * vanished (with `once`).
 */
export type AgentEnd = 'released' | 'interrupted' | 'refused' | 'lost';

/** Run the agent until `signal` aborts (or, with `once`, until its first session ends). */
export async function runAgent(opts: AgentOptions, signal: AbortSignal): Promise<AgentEnd> {
  let pool = await LocalPool.open(opts.threads, undefined, MAX_RUNS);
  let delay = BACKOFF_MS.first;
  try {
    while (!signal.aborted) {
      const outcome = await session(opts, pool, signal);
      if (outcome.hadLoad) {
        // Threads may still hold sockets of the stopped run: tear them down, start fresh ones.
        await pool.close();
        pool = await LocalPool.open(opts.threads, undefined, MAX_RUNS);
      }
      if (signal.aborted) break;
      if (opts.once && outcome.refused) return 'refused';
      if (opts.once && outcome.connected) return outcome.released ? 'released' : 'lost';
      // A controller that sent this agent away without load has no use for it soon: keep backing off.
      if (outcome.connected && outcome.hadLoad) delay = BACKOFF_MS.first;
      opts.log(`reconnecting to ${opts.controller} in ${Math.round(delay)} ms`);
      await sleep(delay, signal);
      delay = Math.min(BACKOFF_MS.max, delay * 2);
    }
    return 'interrupted';
  } finally {
    await pool.close();
  }
}

interface SessionOutcome {
  connected: boolean;
  hadLoad: boolean;
  released: boolean;
  /** The controller answered the upgrade with 401 (missing or wrong token), or its certificate is not trusted. */
  refused: boolean;
}

/**
 * Node's codes for a certificate that fails verification (unknown CA,
 * self-signed, expired, a name it does not carry) or a TLS handshake that
 * cannot happen (EPROTO: wss:// to a controller serving plain ws):
 * retrying cannot help.
 */
const TLS_TRUST = /^(ERR_TLS_CERT_ALTNAME_INVALID|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_\w+|ERR_SSL_\w+|EPROTO)$/;

/** Whether a connection error is the controller's certificate failing verification. */
export function isTlsTrustError(err: { code?: string }): boolean {
  return err.code !== undefined && TLS_TRUST.test(err.code);
}

function session(opts: AgentOptions, pool: LocalPool, signal: AbortSignal): Promise<SessionOutcome> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = opts.token ? { authorization: `Bearer ${opts.token}` } : {};
    const ws = new WebSocket(opts.controller, { headers, ca: opts.ca, handshakeTimeout: 5000 });
    let connected = false;
    let refused = false;
    let s: AgentSession | null = null;
    const onAbort = (): void => s?.interrupt() ?? ws.terminate();
    signal.addEventListener('abort', onAbort, { once: true });
    ws.on('unexpected-response', (_req, res) => {
      refused = res.statusCode === 401;
      opts.log(`controller refused the connection: HTTP ${res.statusCode} ${res.statusMessage ?? ''}${res.statusCode === 401 ? ' (missing or wrong token)' : ''}`.trimEnd());
      ws.terminate();
    });
    ws.on('open', () => {
      connected = true;
      opts.log(`connected to ${opts.controller}`);
      s = new AgentSession(ws, pool, opts);
    });
    ws.on('error', (err: Error & { code?: string }) => {
      if (connected) return;
      if (isTlsTrustError(err)) {
        refused = true;
        const hint = /^(ERR_SSL_|EPROTO)/.test(err.code!)
          ? 'TLS failed: does the controller serve wss:// (--tls-cert)?'
          : "the controller's certificate is not trusted: give its CA with --ca, and dial a host the certificate names";
        opts.log(`cannot reach ${opts.controller}: ${err.code}: ${err.message.trim()} (${hint})`);
      } else opts.log(`cannot reach ${opts.controller}: ${err.code ?? err.message}`);
    });
    ws.on('close', (code, reason) => {
      signal.removeEventListener('abort', onAbort);
      const ended = s?.closed(code, reason.toString()) ?? { hadLoad: false, released: false };
      resolve({ connected, refused, ...ended });
    });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
