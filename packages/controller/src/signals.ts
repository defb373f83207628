/**
 * What a termination signal means, given the ones before it. A terminal
 * sends SIGINT to the whole foreground process group and wrappers (pnpm,
 * npm, docker, CI runners) relay it to their child again, so one Ctrl-C
 * reaches novaload two or three times within milliseconds: those copies are
 * one request. Only a signal after a pause is a deliberate new one.
 */

/** Signals within this long of the last one that counted are copies of it. */
export const SAME_REQUEST_MS = 1000;

/**
 * `stop`: stop the load (gracefulStop), then write the report. `hurry`: a
 * deliberate second signal: skip gracefulStop, still write the report.
 * `exit`: a third: leave at once. `repeat`: a relayed copy, ignored.
 */
export type SignalMeaning = 'stop' | 'hurry' | 'exit' | 'repeat';

const MEANINGS: SignalMeaning[] = ['stop', 'hurry', 'exit'];

/** Classifies each signal from its arrival time (ms on any clock that does not go back); kept apart from process.* so it is tested with plain numbers. */
export class SignalGate {
  #counted = 0;
  #lastCountedAt = -Infinity;

  constructor(private readonly windowMs = SAME_REQUEST_MS) {}

  classify(at: number): SignalMeaning {
    if (at - this.#lastCountedAt < this.windowMs) return 'repeat';
    this.#lastCountedAt = at;
    this.#counted = Math.min(this.#counted + 1, MEANINGS.length);
    return MEANINGS[this.#counted - 1]!;
  }
}
