/**
 * The dispatch handler of a request with a step: it keeps the raw headers
 * and the body its captures and checks need and passes every event on to
 * the VU, so the VU's own handler methods, used by static requests, stay as
 * they are.
 */
import type { Dispatcher } from 'undici';
import type { StepResponse } from './capture.js';
import type { CheckedBody } from './checks.js';
import type { Step } from './step.js';

/** A journey response body is kept up to this many bytes; past it the rest is counted, not kept. */
export const MAX_KEPT_BODY = 16 * 1024 * 1024;

/** The VU methods a collector forwards to (vu.ts implements them). */
export type Forward = Pick<Required<Dispatcher.DispatchHandler>, 'onConnect' | 'onHeaders' | 'onData' | 'onComplete' | 'onError'> & {
  /** undici calls it (Request.onRequestSent) though its types do not name it: the end of the send phase. */
  onRequestSent?(): void;
};

/** One per VU, reset for each request it sends with a step. */
export class Collector implements Dispatcher.DispatchHandler {
  #headers = false;
  #body = false;
  #raw: Buffer[] | null = null;
  #chunks: Buffer[] = [];
  #kept = 0;
  #status = 0;

  constructor(private readonly vu: Forward) {}

  /** Start a request of `step`. */
  reset(step: Step): this {
    this.#headers = step.needsHeaders;
    this.#body = step.needsBody;
    this.#raw = null;
    this.#chunks = [];
    this.#kept = 0;
    return this;
  }

  onConnect(abort: (err?: Error) => void): void {
    this.vu.onConnect(abort);
  }

  onRequestSent(): void {
    this.vu.onRequestSent?.();
  }

  /** Called again after a 1xx: the final response's headers and body are the ones kept. */
  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    this.#status = statusCode;
    if (this.#headers) this.#raw = rawHeaders;
    this.#chunks = [];
    this.#kept = 0;
    return this.vu.onHeaders(statusCode, rawHeaders, resume, statusText);
  }

  onData(chunk: Buffer): boolean {
    if (this.#body && this.#kept + chunk.length <= MAX_KEPT_BODY) {
      this.#chunks.push(chunk);
      this.#kept += chunk.length;
    }
    return this.vu.onData(chunk);
  }

  onComplete(trailers: string[] | null): void {
    this.vu.onComplete(trailers);
  }

  onError(err: Error): void {
    this.vu.onError(err);
  }

  /** The response as the step's captures read it. */
  response(): StepResponse {
    const chunks = this.#chunks;
    const body = !this.#body ? '' : chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
    let parsed: { value: unknown } | null = null;
    return {
      status: this.#status,
      rawHeaders: this.#raw,
      body,
      json() {
        if (parsed === null) {
          try {
            parsed = { value: JSON.parse(body) };
          } catch {
            parsed = { value: undefined };
          }
        }
        return parsed.value;
      },
    };
  }
}

/** Headers by lower-cased name from undici's raw [name, value, name, value, …]; a repeated name's values are joined with ", ". */
export function parseRawHeaders(raw: readonly Buffer[] | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (raw === null) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toString('latin1').toLowerCase();
    const value = raw[i + 1]!.toString('latin1');
    out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/**
 * A collected response as checks read it (journey/checks.ts): the body's
 * JSON is the one parse the captures share, and headers are parsed only
 * when a check reads them (`headers`).
 */
export function checkedBody(res: StepResponse, headers = true): CheckedBody {
  return { body: res.body, headers: headers ? parseRawHeaders(res.rawHeaders) : {}, json: res.json };
}
