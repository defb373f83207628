/**
 * What to change when a run fails with a TLS error kind: each kind names
 * the scenario option that fixes it, printed under the kind in every
 * report format, so a self-signed staging server leads to `http.tls.ca`
 * rather than to a search for Node's OpenSSL codes. The kinds are made by
 * @novaload/agent (errors.ts); this table only reads their names.
 */
import type { Report } from './types.js';

/** The hint of each kind that has one. */
const HINTS: Readonly<Record<string, string>> = {
  TLS_CERT_UNTRUSTED:
    'the server\'s certificate is self-signed or from a CA this machine does not trust: name that CA\'s PEM file in http.tls.ca (bench: --ca FILE), or skip verification with http.tls.insecure (bench: -k)',
  TLS_CERT_EXPIRED: 'the server\'s certificate has expired or is not valid yet: renew it (or check the clock here), or skip verification with http.tls.insecure (bench: -k)',
  TLS_HOSTNAME_MISMATCH:
    'the certificate is not for the target\'s host name: address the target by a name the certificate names, or set that name in http.tls.servername',
  TLS_HANDSHAKE:
    'the TLS handshake failed (no common version or cipher, a server that wants a client certificate, a target that is not HTTPS): give a client certificate with http.tls.cert and http.tls.key (bench: --cert, --key), or check that the target speaks HTTPS',
};

/** On an https:// target a reset may be a TLS 1.3 server refusing a client without a certificate (it closes after the handshake). */
const HTTPS_RESET_HINT = 'on an https:// target, a server that resets every new connection may want a client certificate: set http.tls.cert and http.tls.key (bench: --cert, --key)';

/** The hint for an error kind of a run against `target`, or null when the kind needs none. */
export function errorHint(kind: string, target: string): string | null {
  if (kind === 'ECONNRESET') return target.startsWith('https:') ? HTTPS_RESET_HINT : null;
  return HINTS[kind] ?? null;
}

/** A kind as every format lists it: with the Node code behind it when the report kept one (`TLS_HANDSHAKE (ERR_SSL_…)`). */
export function kindLabel(kind: string, report: Pick<Report, 'errorExamples'>): string {
  const code = report.errorExamples?.[kind];
  return code === undefined || code === kind ? kind : `${kind} (${code})`;
}

/** The warning every format shows when certificates were not verified (http.tls.insecure), or null. */
export function insecureWarning(report: Pick<Report, 'tls'>): string | null {
  return report.tls?.insecure === true ? 'WARNING: TLS certificates were not verified (http.tls.insecure): any server, or anyone in between, could have answered.' : null;
}
