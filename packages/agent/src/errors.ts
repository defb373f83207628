/**
 * Stable error kinds for failed requests. Reports, thresholds and CI
 * scripts key on these strings, so they must not depend on message text
 * or on which layer (socket, parser, timer) noticed first.
 */

/** undici codes folded into the stable kinds above. */
const UNDICI_KINDS = new Map([
  ['UND_ERR_HEADERS_TIMEOUT', 'TIMEOUT'],
  ['UND_ERR_BODY_TIMEOUT', 'TIMEOUT'],
  ['UND_ERR_CONNECT_TIMEOUT', 'CONNECT_TIMEOUT'],
  // "other side closed", a reset mid-response: the peer dropped the connection.
  ['UND_ERR_SOCKET', 'ECONNRESET'],
  // http.version "2" against a server that chose HTTP/1.1 (alpn.ts): a kind of its own, not ERR_<code>.
  ['H2_NOT_NEGOTIATED', 'H2_NOT_NEGOTIATED'],
]);

/**
 * The kind of a response that is not HTTP (garbage, a bad status line,
 * header or chunk size). undici's parser errors carry no code, so they are
 * known by the name undici gives them; llhttp's HPE_* codes fold here too.
 */
export const HTTP_PARSE_ERROR = 'HTTP_PARSE_ERROR';

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; name?: unknown; errors?: unknown; cause?: unknown };
  if (e.name === 'HTTPParserError') return HTTP_PARSE_ERROR;
  if (typeof e.code === 'string') return e.code.startsWith('HPE_') ? HTTP_PARSE_ERROR : e.code;
  // Happy-eyeballs connects fail with an AggregateError of the attempts.
  if (Array.isArray(e.errors) && e.errors.length > 0) return codeOf(e.errors[0]);
  return e.cause === undefined ? undefined : codeOf(e.cause);
}

/**
 * The error kind of a transport failure: TIMEOUT (headers or body),
 * CONNECT_TIMEOUT, ECONNRESET (including undici's socket errors),
 * HTTP_PARSE_ERROR (a response that is not HTTP); OS codes
 * such as ECONNREFUSED, ENOTFOUND, EAI_AGAIN, EMFILE, EADDRNOTAVAIL, EPIPE
 * as they are; other undici codes as ERR_<code without UND_ERR_>; any other
 * code as ERR_<code>; UNKNOWN without a code.
 */
export function errorKind(err: unknown): string {
  const code = codeOf(err);
  if (code === undefined) return 'UNKNOWN';
  if (code === HTTP_PARSE_ERROR) return code;
  const folded = UNDICI_KINDS.get(code);
  if (folded !== undefined) return folded;
  if (code.startsWith('UND_ERR_')) return `ERR_${code.slice(8)}`;
  return /^E[A-Z0-9_]+$/.test(code) ? code : `ERR_${code}`;
}
