/**
 * The scenario's `http.tls`: the files it names are read here, relative to
 * the scenario file, checked (PEM that Node can load, a key that matches
 * its certificate, sizes a plan may carry) and their contents put into the
 * resolved scenario, so remote agents get them in the plan and need no
 * files. A private key's text never goes into a problem message: only its path.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { ResolvedScenario, TlsSettings } from '@novaload/agent';
import type { TlsReport } from '@novaload/report';
import { jsonPath, type ProblemList } from './problems.js';
import { readNamedFile } from './read-named.js';
import type { RawTls } from './raw.js';

/** The largest PEM file of each kind a plan carries (protocol-schemas.mjs): a system CA bundle fits, nothing real is larger. */
const MAX_KIB = { ca: 1024, cert: 256, key: 64 } as const;

/** A host name as SNI carries it: letters, digits, dots and hyphens (no IP address, no port). */
const SERVERNAME = /^(?=.{1,253}$)[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.?$/;

type PemField = keyof typeof MAX_KIB;

/** The resolved `http.tls`, or undefined when there is none or it has problems (recorded at $.http.tls…). */
export function resolveTls(problems: ProblemList, scenarioFile: string, raw: RawTls | undefined): TlsSettings | undefined {
  if (raw === undefined) return undefined;
  const before = problems.items.length;
  const read = (field: PemField): string | undefined => (raw[field] === undefined ? undefined : readPem(problems, scenarioFile, field, raw[field]));
  const ca = read('ca');
  const cert = read('cert');
  const key = read('key');
  if (ca !== undefined) checkCertificates(problems, 'ca', raw.ca!, ca);
  if (cert !== undefined) checkCertificates(problems, 'cert', raw.cert!, cert);
  if (cert !== undefined && key !== undefined) checkKeyPair(problems, raw, cert, key);
  if (raw.servername !== undefined && (!SERVERNAME.test(raw.servername) || /^[\d.]+$/.test(raw.servername))) {
    problems.add(jsonPath('http', 'tls', 'servername'), `"${raw.servername}" is not a host name`, 'write the name the certificate is for, e.g. "api.internal" (SNI carries no IP address or port)');
  }
  if (problems.items.length > before) return undefined;
  return {
    ...(ca !== undefined && { ca }),
    ...(cert !== undefined && { cert }),
    ...(key !== undefined && { key }),
    ...(raw.servername !== undefined && { servername: raw.servername }),
    ...(raw.insecure === true && { insecure: true }),
  };
}

/** `http.tls` does nothing on an http:// target: refused, so a scenario never seems to test TLS while it sends plain text. */
export function checkTlsTarget(problems: ProblemList, target: string, tls: RawTls | undefined): void {
  if (tls === undefined || !target.startsWith('http://')) return;
  problems.add(jsonPath('http', 'tls'), `http.tls applies to https:// targets, but the target is ${target}`, 'use an https:// target, or remove http.tls');
}

/** The file's text when it can be read, is no larger than a plan carries and holds a PEM block; else a problem naming the file. */
function readPem(problems: ProblemList, scenarioFile: string, field: PemField, file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const at = jsonPath('http', 'tls', field);
  const read = readNamedFile(problems, at, scenarioFile, file, '');
  if (read === null) return undefined;
  const { path, text } = read;
  if (text.length > MAX_KIB[field] * 1024) {
    problems.add(at, `${path} is larger than ${MAX_KIB[field]} KiB`, `a ${field} file of PEM text is far smaller; name the right file`);
    return undefined;
  }
  const begin = /^\s*-----BEGIN [A-Z0-9 ]+-----/m.exec(text);
  if (begin === null) {
    const what = field === 'key' ? 'a private key' : 'certificates';
    problems.add(at, `${path} is not a PEM file`, `give ${what} in PEM form (text starting with "-----BEGIN"); convert DER with: openssl x509 -inform der -in FILE -out FILE.pem`);
    return undefined;
  }
  // Text before the first block (a bundle's comments) is dropped: a plan carries PEM blocks from their start.
  return text.slice(begin.index).replace(/^\s+/, '');
}

/** Every certificate of a ca or cert file must parse: a broken block would otherwise fail every handshake at run time. */
function checkCertificates(problems: ProblemList, field: 'ca' | 'cert', file: string, pem: string): void {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  const at = jsonPath('http', 'tls', field);
  if (blocks.length === 0) {
    problems.add(at, `${file} holds no certificate (no "-----BEGIN CERTIFICATE-----" block)`, field === 'ca' ? 'name the CA certificate file, not a key' : 'name the client certificate file; its key goes in http.tls.key');
    return;
  }
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch (err) {
      problems.add(at, `certificate ${i + 1} in ${file} does not parse: ${(err as Error).message}`, 'check that the file was copied whole');
      return;
    }
  }
}

/** The key must load (unencrypted) and belong to the client certificate; the message names files, never the key's text. */
function checkKeyPair(problems: ProblemList, raw: RawTls, cert: string, key: string): void {
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    problems.add(jsonPath('http', 'tls', 'key'), `${raw.key} is not an unencrypted private key Node can load`, 'give the key in PEM form without a passphrase (openssl pkey -in KEY -out KEY.pem)');
    return;
  }
  const first = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(cert);
  if (first !== null && !new X509Certificate(first[0]).checkPrivateKey(privateKey)) {
    problems.add(jsonPath('http', 'tls', 'key'), `${raw.key} is not the private key of the certificate in ${raw.cert}`, 'name the key file made with that certificate');
  }
}

/** The report's `tls` record: how the target was trusted, never a certificate's or the key's contents. */
export function tlsReport(tls: TlsSettings): TlsReport {
  return { insecure: tls.insecure === true, ca: tls.ca !== undefined, clientCertificate: tls.cert !== undefined, ...(tls.servername !== undefined && { servername: tls.servername }) };
}

/** The one line printed before an insecure scenario runs (stderr), or null when it verifies certificates. */
export function insecureNotice(scenario: ResolvedScenario): string | null {
  if (scenario.http.tls?.insecure !== true) return null;
  return `novaload: warning: scenario "${scenario.name}" does not verify the TLS certificate of ${scenario.target} (http.tls.insecure): any server could answer`;
}
