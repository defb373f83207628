/**
 * What one peer may cost the controller, in bytes, messages and sockets, so
 * that no agent (honest, broken or hostile) and no stranger on the network
 * can grow its memory or starve its event loop. README "Running agents on
 * several hosts" lists these figures; change both together.
 */

/**
 * The largest snapshot histogram a real agent can send, in bytes of base64:
 * all 23,221 reachable buckets of novaload's configuration (1 µs … 1 h,
 * 3 digits) at the int32 maximum count, in the stored (worker) encoding,
 * measured at 154,892 bytes; rounded up.
 */
export const MAX_HISTOGRAM_BYTES = 160 * 1024;

/** Per request name a snapshot carries three histograms, counters and error kinds (at most a few hundred). */
const PER_NAME_BYTES = 3 * MAX_HISTOGRAM_BYTES + 32 * 1024;
const ENVELOPE_BYTES = 64 * 1024;
/** Whatever the scenario, never more than this per message. */
export const MESSAGE_CEILING_BYTES = 64 * 1024 * 1024;

/**
 * ws `maxPayload` for a run whose scenarios have at most `requestNames`
 * request names: the largest snapshot a real agent can send (512 KiB per
 * name plus 64 KiB), so one message can never cost more than that. A larger
 * message is refused by ws before it is buffered, and the agent is dropped.
 */
export function maxMessageBytes(requestNames: number): number {
  return Math.min(MESSAGE_CEILING_BYTES, ENVELOPE_BYTES + Math.max(1, requestNames) * PER_NAME_BYTES);
}

/**
 * Bytes the controller may have queued for one agent that does not read
 * them, beyond the kernel's socket buffers and twice the largest message it
 * was sent (a plan): an honest agent leaves a few hundred bytes a second
 * unread at worst (pings, pongs), so 1 MiB is minutes of a jammed network.
 */
export const SEND_BUFFER_LIMIT_BYTES = 1024 * 1024;

/** Snapshots per share: an honest agent sends one a second; this allows a backlog after a stall. */
export const SNAPSHOT_RATE = { perSecond: 4, burst: 30 } as const;

/** From TCP accept to the agent's hello (TLS, upgrade with its token, hello): the time a stranger can hold a socket. */
export const HANDSHAKE_MS = 5000;

/**
 * How many connections may be in their handshake at once: a quarter of the
 * open-file limit (the rest stays for agents, target sockets and files),
 * between 16 and 1024. When full, the oldest handshake is closed to make
 * room, so a real agent gets in even while strangers hold idle connections.
 */
export function handshakeCap(openFiles: number | null): number {
  return Math.max(16, Math.min(1024, Math.floor((openFiles ?? 4096) / 4)));
}

/**
 * Token bucket per share: at most `SNAPSHOT_RATE.perSecond` snapshots a
 * second on average, `burst` at once. Merging costs CPU per snapshot, so a
 * flood of tiny ones would starve every other agent's connection.
 */
export class SnapshotBudget {
  /** More distinct shares than any agent has threads for is itself a flood. */
  static readonly MAX_SHARES = 4096;
  readonly #buckets = new Map<string | number, { tokens: number; at: number }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Spend one snapshot of `share` (`runId:share`: each run in flight has its own); false when the share is over its rate. */
  take(share: string | number): boolean {
    const t = this.now();
    let b = this.#buckets.get(share);
    if (!b) {
      if (this.#buckets.size >= SnapshotBudget.MAX_SHARES) return false;
      b = { tokens: SNAPSHOT_RATE.burst, at: t };
      this.#buckets.set(share, b);
    }
    b.tokens = Math.min(SNAPSHOT_RATE.burst, b.tokens + ((t - b.at) / 1000) * SNAPSHOT_RATE.perSecond);
    b.at = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
