/**
 * What the latency measures count from, by the run's executor, for every
 * human-readable report: an open model's latency starts at the scheduled
 * arrival (a stalled server shows; coordinated omission corrected), a closed
 * model's at the send (a slow server lowers the rate instead). One wording,
 * so the text, markdown and HTML reports never call one the other.
 */

/** Labels of the three measures and the phrase for "response time counts …". */
export interface Measures {
  model: 'open' | 'closed';
  latency: string;
  serviceTime: string;
  ttfb: string;
  /** How latency is counted, as a phrase after "latency": `from the scheduled start (open model, coordinated omission corrected)`. */
  from: string;
}

/** Open models are the arrival-rate executors (constant-arrival-rate, ramping-arrival-rate); the VU executors are closed. */
export function measuresOf(executor: string): Measures {
  const write = { serviceTime: 'service time (from the write)', ttfb: 'time to first byte (from the write)' };
  if (executor.endsWith('-arrival-rate')) {
    return { model: 'open', latency: 'latency (from the scheduled start, coordinated omission corrected)', ...write, from: 'from the scheduled start (open model, coordinated omission corrected)' };
  }
  return { model: 'closed', latency: 'latency (from the send, connect included)', ...write, from: 'from the send (closed model, connect included)' };
}
