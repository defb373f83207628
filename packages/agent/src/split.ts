/**
 * Deterministic sharing of a scenario's load: global VU k and global arrival
 * k belong to share k mod N. Every share computes its own slice from the
 * same global plan, so the slices add up to the scenario exactly — no lost
 * remainders, no rounding up, no coordination while running.
 */

/**
 * How many of the indices 0 … total−1 belong to `share` of `shares`
 * (those with k mod shares = share). Summed over all shares it is `total`
 * exactly, so it also splits maxVUs, maxQueue and pool sizes.
 */
export function shareCount(total: number, share: number, shares: number): number {
  return total <= 0 ? 0 : Math.floor((total - share + shares - 1) / shares);
}

/**
 * The global index of a share's local index j (its j-th VU or arrival):
 * share + j·shares. VUs keep their global index so seeds and ramps agree
 * across shares.
 */
export function globalIndex(local: number, share: number, shares: number): number {
  return share + local * shares;
}

/**
 * shared-iterations' count for `share`: the iterations are split over the
 * shares that have VUs (share s has one when s < vus), 10 over 3 being
 * 4 + 3 + 3, so the slices add up to `iterations` exactly and no share is
 * handed iterations it has no VU to run.
 */
export function sharedIterations(iterations: number, vus: number, share: number, shares: number): number {
  const withVus = Math.min(vus, shares);
  return share < withVus ? shareCount(iterations, share, withVus) : 0;
}
