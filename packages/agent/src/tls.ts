/**
 * The scenario's `http.tls` as socket options for every dispatcher a run
 * makes (http.ts, redirects.ts, journey/once.ts), so the target is trusted,
 * named and authenticated the same way on the load path, on redirect hops
 * and in setup/teardown; every one checks the host name through checkHostName. The PEM contents arrive in the resolved scenario:
 * an agent never reads a certificate file of its own.
 */
import { checkServerIdentity, rootCertificates, type PeerCertificate } from 'node:tls';
import type { TlsSettings } from './scenario.js';

/** The node:tls options undici's connector passes on to tls.connect. */
export interface TlsConnectOptions {
  ca?: string | string[];
  cert?: string;
  key?: string;
  servername?: string;
  rejectUnauthorized?: boolean;
  checkServerIdentity: (host: string, cert: PeerCertificate) => Error | undefined;
}

/**
 * Node's host name check, its failure renamed from ERR_TLS_CERT_ALTNAME_INVALID
 * to OpenSSL's HOSTNAME_MISMATCH (errors.ts folds both into
 * TLS_HOSTNAME_MISMATCH; `nodeCode` keeps Node's for the report). undici 7.30 treats Node's code specially: after
 * it, a Client never connects again and its next request hangs until
 * gracefulStop (found with a wrong http.tls.servername), while any other
 * connect error fails the request at once, as a real client should.
 */
function checkHostName(host: string, cert: PeerCertificate): Error | undefined {
  const err = checkServerIdentity(host, cert);
  return err === undefined ? undefined : Object.assign(err, { code: 'HOSTNAME_MISMATCH', nodeCode: (err as NodeJS.ErrnoException).code });
}

/**
 * Options for connections to the target's origin: `ca` replaces Node's
 * bundled roots (as curl's --cacert does), `cert`/`key` authenticate the
 * client, `servername` is sent as SNI and checked against the certificate,
 * `insecure` skips verification. Without `http.tls`: Node's defaults.
 */
export function targetTls(tls: TlsSettings | undefined): TlsConnectOptions {
  if (tls === undefined) return { checkServerIdentity: checkHostName };
  return {
    checkServerIdentity: checkHostName,
    ...(tls.ca !== undefined && { ca: tls.ca }),
    ...(tls.cert !== undefined && { cert: tls.cert }),
    ...(tls.key !== undefined && { key: tls.key }),
    ...(tls.servername !== undefined && { servername: tls.servername }),
    ...(tls.insecure === true && { rejectUnauthorized: false }),
  };
}

/**
 * Options for redirect hops to other origins: the scenario's CA is trusted
 * beside Node's bundled roots (a hop may leave the internal network for a
 * public host), `insecure` applies as well; the client certificate and the
 * servername belong to the target and are never offered to another host.
 */
export function otherOriginTls(tls: TlsSettings | undefined): TlsConnectOptions {
  if (tls === undefined) return { checkServerIdentity: checkHostName };
  return {
    checkServerIdentity: checkHostName,
    ...(tls.ca !== undefined && { ca: [...rootCertificates, tls.ca] }),
    ...(tls.insecure === true && { rejectUnauthorized: false }),
  };
}
