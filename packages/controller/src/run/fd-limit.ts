/**
 * Pre-flight check of the open-file limit, before any thread starts or
 * request leaves: every connection is a file descriptor, and a run that
 * hits the limit fails its requests with EMFILE — the generator's failure,
 * shown as if it were the target's. Node already raises its soft limit to
 * the hard limit at start-up (it cannot go further), so the limit read here
 * is all this process will get; when the scenario needs more, the run stops
 * up front with exit 104 and says how to raise it.
 */
import { baseDescriptors, openFilesLimit, peakConnections, type ResolvedScenario } from '@novaload/agent';
import { CliError, EXIT } from '../exit-codes.js';

// The rules themselves live in the agent package, which a remote agent's plan check shares.
export { baseDescriptors, parseOpenFilesLimit, peakConnections } from '@novaload/agent';

/** Set (to anything but "" or "0") to run even when the check says the limit is too low. */
export const SKIP_FD_CHECK = 'NOVALOAD_SKIP_FD_CHECK';

/** What the check found: descriptors needed, and the problem as one message, or null when they fit. */
export function fdProblem(scenarios: readonly ResolvedScenario[], threads: number, limit: number | null): string | null {
  if (limit === null || scenarios.length === 0) return null;
  const connections = Math.max(...scenarios.map(peakConnections));
  const needed = connections + baseDescriptors(threads);
  if (needed <= limit) return null;
  return (
    `needs about ${needed} file descriptors (${connections} connections at the peak, plus ${needed - connections} for novaload and its ${threads} thread(s)) ` +
    `but may open only ${limit} (ulimit -n); nothing was sent.\n` +
    `Raise the limit with "ulimit -n ${needed}" before the run (above the hard limit that takes root, /etc/security/limits.conf, ` +
    `systemd LimitNOFILE= or docker run --ulimit nofile=${needed}), use fewer VUs or a connection pool (http.connections), ` +
    `or set ${SKIP_FD_CHECK}=1 to run anyway (requests past the limit then fail with EMFILE, a generator error).`
  );
}

/** Throw exit 104 when a local run would not fit in the open-file limit (remote runs open their connections on the agents). */
export function checkFileDescriptors(scenarios: readonly ResolvedScenario[], opts: { threads: number; remote?: unknown }, env: Record<string, string | undefined>): void {
  const skip = env[SKIP_FD_CHECK];
  if (opts.remote !== undefined || (skip !== undefined && skip !== '' && skip !== '0')) return;
  const problem = fdProblem(scenarios, opts.threads, openFilesLimit());
  if (problem !== null) throw new CliError(problem, EXIT.invalidInput);
}
