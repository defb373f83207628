/**
 * When a failed request may be sent again at once, as browsers and Go's
 * http.Transport do (RFC 9112 §9.3.1): a server may close a kept-alive
 * connection after any response, without saying so, and a request written
 * on it at that instant fails with a reset before the server ever read it.
 * Counting those as the target's failures would blame it for the
 * generator's connection reuse; sending the request once more on a new
 * connection measures what the server does. Only idempotent methods
 * (RFC 9110 §9.2.2) are sent again: a POST may have been applied.
 */
import { errorKind } from './errors.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/**
 * Whether `err`, a failure before any byte of the response arrived, on a
 * connection that had just served a complete response, is the stale
 * keep-alive race (the connection reset or closed) and `method` is safe
 * to send again. The caller allows one resend per completed response.
 */
export function staleKeepAlive(err: Error, method: string): boolean {
  const kind = errorKind(err);
  return (kind === 'ECONNRESET' || kind === 'EPIPE') && IDEMPOTENT.has(method);
}
