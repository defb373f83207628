/**
 * The arithmetic a snapshot must satisfy before it is merged. Types say a
 * snapshot has numbers; this says they make sense together, so a buggy or
 * mismatched share is named at once instead of producing a report whose
 * totals disagree with its error counts.
 */
import type { IntervalSnapshot } from './types.js';

/**
 * Throw an Error naming the share, seq and request when a snapshot breaks the
 * contract: share outside 0..shares-1, a negative or fractional seq or second,
 * requests ≠ ok + failed, or error kinds that do not sum to failed.
 */
export function checkSnapshot(s: IntervalSnapshot, shares: number): void {
  const where = `snapshot of share ${s.share}, seq ${s.seq}`;
  if (!Number.isInteger(s.share) || s.share < 0 || s.share >= shares) throw new Error(`${where}: share is not in 0..${shares - 1}`);
  if (!Number.isInteger(s.seq) || s.seq < 0 || !Number.isInteger(s.second) || s.second < 0) {
    throw new Error(`${where}: seq and second must be integers ≥ 0 (second ${s.second})`);
  }
  for (const [name, ep] of Object.entries(s.endpoints)) {
    const errorSum = Object.values(ep.errors).reduce((a, b) => a + b, 0);
    if (ep.requests !== ep.ok + ep.failed || errorSum !== ep.failed) {
      throw new Error(`${where}: "${name}" counts do not add up (requests ${ep.requests}, ok ${ep.ok}, failed ${ep.failed}, errors ${errorSum})`);
    }
  }
}
