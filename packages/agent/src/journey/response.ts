/**
 * The dispatch handler of a request that has checks: it keeps what the
 * checks read (the body's bytes, the headers parsed from undici's raw
 * Buffer pairs) and hands every event on to the VU unchanged. A request
 * without checks is dispatched with the VU itself as its handler, so it
 * never passes through here and nothing is kept or parsed.
 */
import type { Dispatcher } from 'undici';
import type { CheckedBody, CompiledChecks } from './checks.js';

/** Headers by lower-cased name from undici's raw [name, value, name, value, …]; a repeated name's values are joined with ", ". */
export function parseRawHeaders(raw: readonly Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/** One VU's recorder of the response of its current checked request; reused for each. */
export class CheckedResponse implements Dispatcher.DispatchHandler, CheckedBody {
  body = '';
  headers: Record<string, string> = {};
  #chunks: Buffer[] = [];
  #checks!: CompiledChecks;

  constructor(private readonly vu: Required<Pick<Dispatcher.DispatchHandler, 'onConnect' | 'onHeaders' | 'onData' | 'onComplete' | 'onError'>>) {}

  /** Start (or restart, after a resend) a response to `checks`; returns the handler to dispatch with. */
  begin(checks: CompiledChecks): this {
    this.#checks = checks;
    this.#chunks = [];
    this.body = '';
    this.headers = {};
    return this;
  }

  /** Read the kept body as text, once the response is complete. */
  finish(): void {
    if (this.#chunks.length > 0) this.body = Buffer.concat(this.#chunks).toString('utf8');
    this.#chunks = [];
  }

  onConnect(abort: (err?: Error) => void): void {
    this.vu.onConnect(abort);
  }

  /** Called again after a 1xx: the final response's headers and body are the ones kept. */
  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    if (this.#checks.needsHeaders) this.headers = parseRawHeaders(rawHeaders);
    this.#chunks = [];
    return this.vu.onHeaders(statusCode, rawHeaders, resume, statusText);
  }

  onData(chunk: Buffer): boolean {
    if (this.#checks.needsBody) this.#chunks.push(chunk);
    return this.vu.onData(chunk);
  }

  onComplete(trailers: string[] | null): void {
    this.vu.onComplete(trailers);
  }

  onError(err: Error): void {
    this.vu.onError(err);
  }
}
