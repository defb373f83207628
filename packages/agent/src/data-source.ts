/**
 * Row selection inside one share, at the start of each iteration (see
 * data.ts for how rows are dealt between shares):
 * - per-vu: global VU k keeps row k mod rows for its whole life;
 * - sequential: the share's rows in order; after the last, from the first
 *   again (`recycle`) or no row at all (`stop`: the share starts no more
 *   iterations, see run-share.ts);
 * - random: one of the share's rows, drawn from the VU's seeded stream.
 */
import type { Clock } from './clock.js';
import { CELL_SEPARATOR, type DataSettings, type ShareRows } from './data.js';
import type { Rng } from './rng.js';

/** One row as templates read it: column → value. */
export type Row = Readonly<Record<string, string>>;

/** What a share reports about its rows when it is done. */
export interface DataStats {
  /** Iterations that started with a row. */
  taken: number;
  /** When (ms on the run's clock) an iteration first found no row left (sequential, stop); null if never. */
  exhaustedAtMs: number | null;
}

/** The rows of one share and who has taken which. */
export class ShareData {
  readonly #mode: DataSettings['mode'];
  readonly #stop: boolean;
  readonly #columns: readonly string[];
  readonly #cells: string;
  /** Where each value starts in #cells, and one past the last value's end. */
  readonly #starts: Int32Array;
  readonly #index: readonly number[] | null;
  readonly #count: number;
  readonly #rows: number;
  #next = 0;
  #taken = 0;
  #exhaustedAt: number | null = null;

  constructor(
    settings: DataSettings,
    rows: ShareRows,
    private readonly clock: Clock,
    /** Called once, on a later turn, when the rows ran out (sequential, stop). */
    private readonly onExhausted: () => void,
  ) {
    this.#mode = settings.mode;
    this.#stop = settings.onExhausted === 'stop';
    this.#columns = settings.columns;
    this.#cells = rows.cells;
    this.#index = rows.index;
    this.#rows = settings.rows;
    this.#count = rows.count;
    this.#starts = valueStarts(rows.cells, rows.count * settings.columns.length);
  }

  /** Whether the rows ran out: no iteration may start any more. */
  get exhausted(): boolean {
    return this.#exhaustedAt !== null;
  }

  /**
   * The row for global VU k's next iteration, or null when none is left.
   * `current` is the VU's row so far (per-vu keeps it); `rng` the VU's stream.
   */
  take(k: number, current: Row | null, rng: Rng): Row | null {
    let row: Row | null;
    if (this.#mode === 'per-vu') row = current ?? this.#rowAt(this.#localOf(k % this.#rows));
    else if (this.#mode === 'random') row = this.#rowAt(Math.floor(rng.next() * this.#count));
    else row = this.#sequential();
    if (row !== null) this.#taken++;
    return row;
  }

  stats(): DataStats {
    return { taken: this.#taken, exhaustedAtMs: this.#exhaustedAt };
  }

  #sequential(): Row | null {
    if (this.#next < this.#count) return this.#rowAt(this.#next++);
    if (!this.#stop && this.#count > 0) {
      this.#next = 1;
      return this.#rowAt(0);
    }
    if (this.#exhaustedAt === null) {
      this.#exhaustedAt = this.clock.now();
      // Not from inside the VU or executor that asked: ending the plan re-enters both.
      queueMicrotask(this.onExhausted);
    }
    return null;
  }

  /** Position among this share's rows of global row r (per-vu: the share was sent the rows its VUs need). */
  #localOf(r: number): number {
    const index = this.#index;
    if (index === null) throw new Error(`data: per-vu rows arrived without their row numbers`);
    let lo = 0;
    let hi = index.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (index[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    if (index[lo] !== r) throw new Error(`data: row ${r + 1} was not sent to this share`);
    return lo;
  }

  #rowAt(pos: number): Row {
    const columns = this.#columns;
    const starts = this.#starts;
    const base = pos * columns.length;
    const row: Record<string, string> = {};
    for (let c = 0; c < columns.length; c++) row[columns[c]!] = this.#cells.slice(starts[base + c]!, starts[base + c + 1]! - 1);
    return row;
  }
}

/**
 * The start of each of `values` NUL-joined values in `cells`, plus one past
 * the end (as if a separator followed the last); throws when the count is
 * not what the rows promise (plan-check.ts refuses such a plan first).
 */
export function valueStarts(cells: string, values: number): Int32Array {
  const starts = new Int32Array(values + 1);
  let at = 0;
  for (let v = 1; v < values; v++) {
    const sep = cells.indexOf(CELL_SEPARATOR, at);
    if (sep < 0) throw new Error(`data: ${v} value(s) where ${values} were expected`);
    starts[v] = at = sep + 1;
  }
  if (values > 0 && cells.indexOf(CELL_SEPARATOR, at) >= 0) throw new Error(`data: more than the ${values} value(s) expected`);
  starts[values] = cells.length + 1;
  return starts;
}
