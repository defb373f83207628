/**
 * Data files (scenario `data`): the rows a scenario reads, and how they are
 * dealt between shares without coordination. The controller loads the file;
 * each share (thread or agent) is sent only the rows it can use, so agents
 * need not have the file and a thread holds one copy of its own rows at most.
 *
 * - sequential, random: row r belongs to share r mod N (like VUs and
 *   arrivals), so no two shares ever take the same row;
 * - per-vu: global VU k (1-based VU n = k + 1) uses row k mod rows, so a
 *   share gets the rows of its VUs (all rows when there are fewer rows than
 *   VUs and they wrap).
 */
import { globalIndex, shareCount } from './split.js';

/** How iterations pick rows: k6 has none of its own; Artillery's payload `order` is the nearest. */
export type DataMode = 'per-vu' | 'sequential' | 'random';

/** What a share does once every one of its rows has been taken (sequential only). */
export type OnExhausted = 'recycle' | 'stop';

/** The data settings every share sees (no rows: those travel per share, see ShareRows). */
export interface DataSettings {
  /** The file as the scenario names it (relative to the scenario file), for reports. */
  file: string;
  mode: DataMode;
  onExhausted: OnExhausted;
  /** The header row (CSV) or the keys (JSON): what templates may read as `data.COLUMN`. */
  columns: string[];
  /** Rows in the whole file. */
  rows: number;
}

/** The controller's copy: the settings plus every row, cells row-major. Never sent as is (see rowsOf). */
export interface LoadedData extends DataSettings {
  cells: string[];
}

/**
 * One share's rows, packed for the trip to a thread or an agent: `cells`
 * is every value of its `count` rows, row-major, joined by NUL (which data
 * files may not hold), so a thread receives one string (a copy, not
 * millions of objects to clone or parse) and slices values out of it.
 * `index` lists their global row numbers in order, or is null when they are
 * rows share, share + N, share + 2N, … (sequential, random).
 */
export interface ShareRows {
  index: number[] | null;
  count: number;
  cells: string;
}

/** Joins the values of ShareRows.cells; refused in data files (see the controller's data-file.ts). */
export const CELL_SEPARATOR = '\0';

/** Whether a scenario's data settings carry the controller's full table. */
export function isLoaded(data: DataSettings): data is LoadedData {
  return Array.isArray((data as LoadedData).cells);
}

/** The settings alone, as plans and share specs carry them. */
export function settingsOf(data: DataSettings): DataSettings {
  const { file, mode, onExhausted, columns, rows } = data;
  return { file, mode, onExhausted, columns, rows };
}

/** The global row numbers `share` of `shares` needs; null for the implicit share + j·shares. */
export function rowsNeeded(data: DataSettings, vus: number, share: number, shares: number): number[] | null {
  if (data.mode !== 'per-vu') return null;
  const count = Math.min(shareCount(vus, share, shares), data.rows);
  const needed = new Set<number>();
  // VU share + j·N uses row (share + j·N) mod rows; after `rows` VUs the rows repeat, so no more are needed.
  for (let j = 0; j < count; j++) needed.add(globalIndex(j, share, shares) % data.rows);
  return [...needed].sort((a, b) => a - b);
}

/** The rows of one share, cut from the controller's table. `vus`: the scenario's peak VUs (per-vu). */
export function rowsOf(data: LoadedData, vus: number, share: number, shares: number): ShareRows {
  const width = data.columns.length;
  const index = rowsNeeded(data, vus, share, shares);
  const rows = index ?? Array.from({ length: shareCount(data.rows, share, shares) }, (_, j) => globalIndex(j, share, shares));
  const cells = new Array<string>(rows.length * width);
  let at = 0;
  for (const r of rows) for (let c = 0; c < width; c++) cells[at++] = data.cells[r * width + c]!;
  return { index, count: rows.length, cells: cells.join(CELL_SEPARATOR) };
}
