/**
 * Certificates made at test time with the `openssl` CLI (never a committed
 * private key): a CA, a leaf for localhost/127.0.0.1 it signed, an expired
 * leaf, a client CA with a client certificate; and loopback HTTPS servers
 * (node:https) that count the requests they answer.
 */
import { execFile } from 'node:child_process';
import { createServer, type ServerOptions } from 'node:https';
import { readFile, writeFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './cli.js';

const run = promisify(execFile);

/** File paths of everything made; `text` reads one. */
export interface Pki {
  dir: string;
  /** The CA that signed `leaf` and `expired`. */
  ca: string;
  leaf: string;
  leafKey: string;
  /** Signed by `ca`, valid until yesterday. */
  expired: string;
  expiredKey: string;
  /** A server certificate for localhost/127.0.0.1 signed by its own key (no CA). */
  selfSigned: string;
  selfSignedKey: string;
  /** The CA a mutual-TLS server trusts for clients, and a client certificate it signed. */
  clientCa: string;
  client: string;
  clientKey: string;
}

const openssl = (dir: string, args: string[]): Promise<unknown> => run('openssl', args, { cwd: dir, timeout: 20_000 });

/** A CA key and self-signed certificate named `name`.pem / `name`-key.pem. */
async function makeCa(dir: string, name: string): Promise<void> {
  await openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=novaload test ${name}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
}

/** A key and a certificate signed by `ca` with the extensions `ext`, valid for `days` from now, or expired already. */
async function makeLeaf(dir: string, name: string, ca: string, ext: string, days: number | 'expired'): Promise<void> {
  await openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  await writeFile(join(dir, `${name}.ext`), ext);
  // A negative -days makes a certificate that expired before it was made (not_after in the past).
  const validity = days === 'expired' ? ['-days', '-1'] : ['-days', String(days)];
  // A serial file of its own: leaves signed at once by one CA would otherwise race on `${ca}.srl`
  // (one openssl reading the file while the other writes it fails the whole batch, seen under load).
  await openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}-key.pem`, '-CAserial', `${name}.srl`, '-CAcreateserial', '-out', `${name}.pem`, ...validity, '-extfile', `${name}.ext`]);
}

const SAN = 'subjectAltName=DNS:localhost,IP:127.0.0.1';
const SERVER_EXT = `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n${SAN}\n`;
const CLIENT_EXT = 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n';

/** Make every certificate in a fresh temp dir (a few hundred ms of openssl). */
export async function makePki(): Promise<Pki> {
  const dir = await tempDir();
  const selfSigned = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'self-key.pem', '-out', 'self.pem', '-days', '2', '-subj', '/CN=localhost', '-addext', SAN];
  await Promise.all([makeCa(dir, 'ca'), makeCa(dir, 'client-ca'), openssl(dir, selfSigned)]);
  await Promise.all([makeLeaf(dir, 'leaf', 'ca', SERVER_EXT, 2), makeLeaf(dir, 'expired', 'ca', SERVER_EXT, 'expired'), makeLeaf(dir, 'client', 'client-ca', CLIENT_EXT, 2)]);
  const at = (f: string): string => join(dir, f);
  return {
    dir,
    ca: at('ca.pem'),
    leaf: at('leaf.pem'),
    leafKey: at('leaf-key.pem'),
    expired: at('expired.pem'),
    expiredKey: at('expired-key.pem'),
    selfSigned: at('self.pem'),
    selfSignedKey: at('self-key.pem'),
    clientCa: at('client-ca.pem'),
    client: at('client.pem'),
    clientKey: at('client-key.pem'),
  };
}

/** A counting HTTPS server on 127.0.0.1. */
export interface HttpsServer {
  url: string;
  /** Requests answered (with 200). */
  requests(): number;
  /** TLS handshakes that failed on the server's side. */
  tlsErrors(): number;
  close(): Promise<void>;
}

/** Which certificate the server shows, and the client CA it demands (mutual TLS) when `clientCa` is given. */
export interface HttpsOptions {
  cert: string;
  key: string;
  clientCa?: string;
  /** Answer GET /go with a 302 to this URL (a redirect to another origin); everything else gets 200. */
  redirectTo?: string;
}

/** Start an HTTPS server answering 200 "ok" (or the redirect of `redirectTo`), on port 0. */
export async function startHttpsServer(opts: HttpsOptions): Promise<HttpsServer> {
  const options: ServerOptions = { cert: await readFile(opts.cert), key: await readFile(opts.key) };
  if (opts.clientCa !== undefined) Object.assign(options, { ca: await readFile(opts.clientCa), requestCert: true, rejectUnauthorized: true });
  let requests = 0;
  let tlsErrors = 0;
  const sockets = new Set<Socket>();
  const server = createServer(options, (req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      if (opts.redirectTo !== undefined && req.url === '/go') res.writeHead(302, { location: opts.redirectTo }).end();
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('tlsClientError', () => tlsErrors++);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    requests: () => requests,
    tlsErrors: () => tlsErrors,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
