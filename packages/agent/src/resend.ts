/**
 * When a failed request may be sent again at once, as browsers and Go's
 * http.Transport do (RFC 9112 §9.3.1): a server may close a kept-alive
 * connection after any response, without saying so, and a request written
 * on it at that instant fails with a reset before the server ever read it.
 * Counting those as the target's failures would blame it for the
 * generator's connection reuse; sending the request once more on a new
 * connection measures what the server does. Only idempotent methods
 * (RFC 9110 §9.2.2) are sent again: a POST may have been applied. Every
 * resend is counted (`resent` in the snapshot and report), so the report
 * plus its resends is what the server saw.
 */
import { errorKind } from './errors.js';
import type { HttpSettings } from './scenario.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Whether a request with `method` is sent again after a stale keep-alive
 * failure: idempotent, and the scenario did not turn resending off
 * (http.resendOnStaleConnection: false counts those failures as errors).
 * Decided once per request definition, at load.
 */
export function mayResend(method: string, http: Pick<HttpSettings, 'resendOnStaleConnection'>): boolean {
  return http.resendOnStaleConnection !== false && IDEMPOTENT.has(method);
}

/**
 * Whether `err`, a failure before any byte of the response arrived, on a
 * connection that had just served a complete response, is the stale
 * keep-alive race (the connection reset or closed). The caller allows one
 * resend per completed response, for requests that mayResend.
 */
export function staleKeepAlive(err: Error): boolean {
  const kind = errorKind(err);
  return kind === 'ECONNRESET' || kind === 'EPIPE';
}
