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
 * Every other message (pings, pongs, ready, error, done, hello) per agent:
 * an honest agent sends a ping a second, answers the controller's pings
 * (five at each clock sync, one per run in flight) and a few messages per
 * run, so 20 a second with 200 at once is ten times its worst; a peer that
 * floods pings it reads the pongs of would otherwise keep the controller's
 * event loop busy answering them for as long as it likes.
 */
export const MESSAGE_RATE = { perSecond: 20, burst: 200 } as const;

/** A token bucket: `burst` at once, refilled at `perSecond`. */
class Bucket {
  #tokens: number;
  #at: number;
  constructor(private readonly rate: { perSecond: number; burst: number }, at: number) {
    this.#tokens = rate.burst;
    this.#at = at;
  }
  take(t: number): boolean {
    this.#tokens = Math.min(this.rate.burst, this.#tokens + ((t - this.#at) / 1000) * this.rate.perSecond);
    this.#at = t;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** One agent's budget of non-snapshot messages (MESSAGE_RATE). */
export class MessageBudget {
  readonly #bucket: Bucket;
  constructor(private readonly now: () => number = () => performance.now()) {
    this.#bucket = new Bucket(MESSAGE_RATE, now());
  }
  /** Spend one message; false when the agent is over its rate. */
  take(): boolean {
    return this.#bucket.take(this.now());
  }
}

/**
 * Token bucket per share: at most `SNAPSHOT_RATE.perSecond` snapshots a
 * second on average, `burst` at once. Merging costs CPU per snapshot, so a
 * flood of tiny ones would starve every other agent's connection.
 */
export class SnapshotBudget {
  /** More distinct shares than any agent has threads for is itself a flood. */
  static readonly MAX_SHARES = 4096;
  readonly #buckets = new Map<string | number, Bucket>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Spend one snapshot of `share` (`runId:share`: each run in flight has its own); false when the share is over its rate. */
  take(share: string | number): boolean {
    const t = this.now();
    let b = this.#buckets.get(share);
    if (!b) {
      if (this.#buckets.size >= SnapshotBudget.MAX_SHARES) return false;
      b = new Bucket(SNAPSHOT_RATE, t);
      this.#buckets.set(share, b);
    }
    return b.take(t);
  }
}
