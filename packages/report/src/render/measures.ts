/**
 * What the latency measures count from, by the run's executor, for every
 * human-readable report: an open model's latency starts at the scheduled
 * arrival (a stalled server shows; coordinated omission corrected), a closed
 * model's at the send (a slow server lowers the rate instead). One wording,
 * so the text, markdown and HTML reports never call one the other.
 */

/** Labels of the three measures and the phrase for "response time counts …". */
export interface Measures {
  /** `mixed`: a run file's report, over workloads of both models. */
  model: 'open' | 'closed' | 'mixed';
  latency: string;
  serviceTime: string;
  ttfb: string;
  /** How latency is counted, as a phrase after "latency": `from the scheduled start (open model, coordinated omission corrected)`. */
  from: string;
}

/** Open models are the arrival-rate executors (constant-arrival-rate, ramping-arrival-rate); the VU executors are closed; a run file's report (executor `run-file`) is mixed. */
export function measuresOf(executor: string): Measures {
  const write = { serviceTime: 'service time (from the write)', ttfb: 'time to first byte (from the write)' };
  // A run file's figures mix its workloads: each counts latency as its own executor does.
  if (executor === 'run-file') return { model: 'mixed', latency: 'latency (each workload as its executor counts it)', ...write, from: 'as each workload\'s executor counts it (see its section)' };
  if (executor.endsWith('-arrival-rate')) {
    return { model: 'open', latency: 'latency (from the scheduled start, coordinated omission corrected)', ...write, from: 'from the scheduled start (open model, coordinated omission corrected)' };
  }
  return { model: 'closed', latency: 'latency (from the send, connect included)', ...write, from: 'from the send (closed model, connect included)' };
}
