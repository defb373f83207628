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

/** TLS error kinds: what is wrong with the server's certificate or the handshake, whatever Node calls it. */
export const TLS_CERT_UNTRUSTED = 'TLS_CERT_UNTRUSTED';
export const TLS_CERT_EXPIRED = 'TLS_CERT_EXPIRED';
export const TLS_HOSTNAME_MISMATCH = 'TLS_HOSTNAME_MISMATCH';
export const TLS_HANDSHAKE = 'TLS_HANDSHAKE';

/** OpenSSL's verification codes (as Node gives them) by the TLS kind they fold into. */
const TLS_KINDS = new Map<string, string>([
  ...[
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'CERT_UNTRUSTED',
    'CERT_REJECTED',
    'CERT_SIGNATURE_FAILURE',
    'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
    'INVALID_CA',
  ].map((code) => [code, TLS_CERT_UNTRUSTED] as const),
  ['CERT_HAS_EXPIRED', TLS_CERT_EXPIRED],
  ['CERT_NOT_YET_VALID', TLS_CERT_EXPIRED],
  ['ERR_TLS_CERT_ALTNAME_INVALID', TLS_HOSTNAME_MISMATCH],
  ['HOSTNAME_MISMATCH', TLS_HOSTNAME_MISMATCH],
  // The protocol failed (no shared version or cipher, an alert such as "certificate required").
  ['EPROTO', TLS_HANDSHAKE],
]);

/** OpenSSL verification codes of certificates that are not fit for the job (a CA's certificate served by a server, a chain too deep). */
const OTHER_VERIFY_CODES = new Set(['INVALID_PURPOSE', 'PATH_LENGTH_EXCEEDED', 'INVALID_NON_CA', 'KEYUSAGE_NO_CERTSIGN', 'UNSUPPORTED_EXTENSION_FEATURE']);

/** Whether a Node code is a TLS failure not named above: OpenSSL's ERR_SSL_* and Node's ERR_TLS_*, or another certificate check. */
function isOtherTlsCode(code: string): boolean {
  return code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /^(CERT|UNABLE_TO)_/.test(code) || OTHER_VERIFY_CODES.has(code);
}

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
 * The code Node or undici gave a failure (for a TLS kind, the OpenSSL code
 * the report keeps as its example), HTTP_PARSE_ERROR for a response that is
 * not HTTP; undefined without one.
 */
export function errorCode(err: unknown): string | undefined {
  // A host name failure renamed so undici does not stall on it (tls.ts) still reports Node's own code.
  const renamed = (err as { nodeCode?: unknown } | null)?.nodeCode;
  return typeof renamed === 'string' ? renamed : codeOf(err);
}

/**
 * The error kind of a transport failure: TIMEOUT (headers or body),
 * CONNECT_TIMEOUT, ECONNRESET (including undici's socket errors),
 * HTTP_PARSE_ERROR (a response that is not HTTP); TLS_CERT_UNTRUSTED,
 * TLS_CERT_EXPIRED, TLS_HOSTNAME_MISMATCH and TLS_HANDSHAKE; OS codes
 * such as ECONNREFUSED, ENOTFOUND, EAI_AGAIN, EMFILE, EADDRNOTAVAIL, EPIPE
 * as they are; other undici codes as ERR_<code without UND_ERR_>; any other
 * code as ERR_<code>; UNKNOWN without a code.
 */
export function errorKind(err: unknown): string {
  const code = codeOf(err);
  if (code === undefined) return 'UNKNOWN';
  if (code === HTTP_PARSE_ERROR) return code;
  const folded = UNDICI_KINDS.get(code) ?? TLS_KINDS.get(code);
  if (folded !== undefined) return folded;
  if (isOtherTlsCode(code)) return TLS_HANDSHAKE;
  if (code.startsWith('UND_ERR_')) return `ERR_${code.slice(8)}`;
  return /^E[A-Z0-9_]+$/.test(code) ? code : `ERR_${code}`;
}
