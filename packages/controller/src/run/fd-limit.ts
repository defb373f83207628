/**
 * Pre-flight check of the open-file limit, before any thread starts or
 * request leaves: every connection is a file descriptor, and a run that
 * hits the limit fails its requests with EMFILE — the generator's failure,
 * shown as if it were the target's. Node already raises its soft limit to
 * the hard limit at start-up (it cannot go further), so the limit read here
 * is all this process will get; when the scenario needs more, the run stops
 * up front with exit 104 and says how to raise it.
 */
import { baseDescriptors, openFilesLimit, peakConnections, plannedDurationMs } from '@novaload/agent';
import type { Workload } from '../scenario/index.js';
import { CliError, EXIT } from '../exit-codes.js';

// The rules themselves live in the agent package, which a remote agent's plan check shares.
export { baseDescriptors, parseOpenFilesLimit, peakConnections } from '@novaload/agent';

/** Set (to anything but "" or "0") to run even when the check says the limit is too low. */
export const SKIP_FD_CHECK = 'NOVALOAD_SKIP_FD_CHECK';

/**
 * The most connections a group of workloads that run together holds at
 * once: each holds its peak from its start to its planned end plus
 * gracefulStop, and those that overlap add up (a workload starting as
 * another ends counts as overlapping: its connections may not be closed yet).
 */
export function peakConnectionsTogether(group: readonly Workload[]): number {
  const edges = group.flatMap(({ scenario, startMs }) => {
    const c = peakConnections(scenario);
    return [
      { at: startMs, delta: c },
      { at: startMs + plannedDurationMs(scenario.executor) + scenario.gracefulStopMs, delta: -c },
    ];
  });
  edges.sort((a, b) => a.at - b.at || b.delta - a.delta);
  let open = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (open += e.delta));
  return peak;
}

/**
 * What the check found: descriptors needed, and the problem as one message,
 * or null when they fit. Each group runs alone (scenario files run one
 * after another, each a group of one); a run file's workloads run together.
 */
export function fdProblem(groups: readonly (readonly Workload[])[], threads: number, limit: number | null): string | null {
  if (limit === null || groups.length === 0) return null;
  const worst = groups.map((group) => ({ connections: peakConnectionsTogether(group), together: group.length > 1 })).reduce((a, b) => (b.connections > a.connections ? b : a));
  const connections = worst.connections;
  const needed = connections + baseDescriptors(threads);
  if (needed <= limit) return null;
  const at = worst.together ? "connections at the peak, the run file's workloads that run at once added up" : 'connections at the peak';
  return (
    `needs about ${needed} file descriptors (${connections} ${at}, plus ${needed - connections} for novaload and its ${threads} thread(s)) ` +
    `but may open only ${limit} (ulimit -n); nothing was sent.\n` +
    `Raise the limit with "ulimit -n ${needed}" before the run (above the hard limit that takes root, /etc/security/limits.conf, ` +
    `systemd LimitNOFILE= or docker run --ulimit nofile=${needed}), use fewer VUs or a connection pool (http.connections), ` +
    `or set ${SKIP_FD_CHECK}=1 to run anyway (requests past the limit then fail with EMFILE, a generator error).`
  );
}

/** Throw exit 104 when a local run would not fit in the open-file limit (remote runs open their connections on the agents). */
export function checkFileDescriptors(groups: readonly (readonly Workload[])[], opts: { threads: number; remote?: unknown }, env: Record<string, string | undefined>): void {
  const skip = env[SKIP_FD_CHECK];
  if (opts.remote !== undefined || (skip !== undefined && skip !== '' && skip !== '0')) return;
  const problem = fdProblem(groups, opts.threads, openFilesLimit());
  if (problem !== null) throw new CliError(problem, EXIT.invalidInput);
}
