/**
 * Exactly-once delivery on top of at-least-once transports: a share may
 * resend a snapshot (a reconnecting agent replays what it is unsure of), and
 * merging one twice would double its counts. Each share numbers its
 * snapshots 0, 1, 2, …; this remembers which numbers arrived, in memory that
 * stays small however long the run is.
 */

/**
 * Which (share, seq) pairs have been seen. Per share it keeps the lowest
 * sequence number not yet seen plus the few that arrived ahead of it, so
 * in-order delivery costs one number per share.
 */
export class SeenSequences {
  readonly #shares = new Map<number, { next: number; ahead: Set<number> }>();

  /** Record (share, seq); true the first time, false for a repeat. */
  firstTime(share: number, seq: number): boolean {
    let s = this.#shares.get(share);
    if (!s) {
      s = { next: 0, ahead: new Set() };
      this.#shares.set(share, s);
    }
    if (seq < s.next || s.ahead.has(seq)) return false;
    if (seq !== s.next) {
      s.ahead.add(seq);
      return true;
    }
    s.next++;
    while (s.ahead.delete(s.next)) s.next++;
    return true;
  }
}
