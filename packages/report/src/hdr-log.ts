/**
 * The HdrHistogram interval log of a run's overall latency: one compressed
 * histogram per second, in the format HdrHistogram's own tools read (Java's
 * HistogramLogReader and HistogramLogProcessor, hdr-histogram-js's
 * HistogramLogReader), so any time range of a run can be re-analysed exactly
 * after the fact. Lines are handed to a sink as seconds complete:
 * nothing is kept, and a log cut short is valid up to its last line.
 */
import { createRequire } from 'node:module';
import type * as hdr from 'hdr-histogram-js';
import type { SecondListener } from './aggregate.js';
import type { Histogram } from './histogram.js';
import type { TimelinePoint } from './types.js';

/** Interval_Max is written in ms: our values are µs. */
const MAX_VALUE_UNIT_RATIO = 1000;

/**
 * Writes the log to `write`: the header at once, then an interval line
 * `t,1.000,max_ms,HISTFAA…` per completed second, timestamps in seconds from
 * the run's start (the BaseTime line), which is second 0 of the timeline.
 */
export class HdrIntervalLog implements SecondListener {
  readonly #writer: hdr.HistogramLogWriter;

  constructor(write: (text: string) => void, startAtMs: number) {
    // The whole library (its WebAssembly build, pako) loads only when a log is asked for.
    const { HistogramLogWriter } = createRequire(import.meta.url)('hdr-histogram-js') as typeof hdr;
    this.#writer = new HistogramLogWriter(write);
    const seconds = (startAtMs / 1000).toFixed(3);
    this.#writer.outputComment('[Logged with novaload: overall latency in µs, one interval per second]');
    this.#writer.outputLogFormatVersion();
    // Java's wording; the library's outputStartTime() adds a blank line after it.
    this.#writer.outputComment(`[StartTime: ${seconds} (seconds since epoch), ${new Date(startAtMs).toString()}]`);
    this.#writer.outputComment(`[BaseTime: ${seconds} (seconds since epoch)]`);
    this.#writer.outputLegend();
  }

  onSecond(point: TimelinePoint, latency: Histogram): void {
    this.#interval(point.t, latency);
  }

  /** Late latency of a second already logged: one more interval with the same timestamp, so the log adds up to the totals. */
  onLate(t: number, latency: Histogram): void {
    this.#interval(t, latency);
  }

  #interval(t: number, latency: Histogram): void {
    this.#writer.outputIntervalHistogram(latency, t, t + 1, MAX_VALUE_UNIT_RATIO);
  }
}
