/**
 * The name lookup every connection uses: the system resolver, except for
 * names under the reserved `.invalid` TLD, which RFC 6761 §6.4 says must
 * fail at once without asking any DNS server. They fail as the resolver
 * fails for an unknown name (ENOTFOUND), so a run against such a target
 * counts ENOTFOUND whether or not the machine has a network or a resolver
 * that answers (an unreachable one would otherwise hold each connect until
 * connectTimeout, or give EAI_AGAIN).
 *
 * It also refuses a name that resolves to a cloud metadata address
 * (169.254.169.254 and the like, in any spelling) unless the target host is
 * allowed to (named in the scenario's allowHosts on a local run, in the
 * agent's own --allow-hosts on a remote agent): validation can only refuse
 * such addresses written literally, and a DNS name pointing at one would
 * otherwise get through. The request fails with EMETADATA before any
 * connection is made. A name that is itself a metadata host gets no pass
 * here: it reaches this lookup only when allowed, or when the check before
 * it was bypassed.
 */
import { lookup as systemLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { isMetadataHost } from './hosts.js';

/** Whether `hostname` is `invalid` or ends in `.invalid` (case-insensitive, trailing dot allowed). */
export function isReservedInvalid(hostname: string): boolean {
  return /(^|\.)invalid\.?$/i.test(hostname);
}

/**
 * dns.lookup, with `.invalid` names failing locally with ENOTFOUND as
 * getaddrinfo would, and names that resolve to a metadata address failing
 * with EMETADATA unless `allowMetadata`. `resolve` is the system resolver
 * (a test hands in its own).
 */
export function guardedLookup(allowMetadata: boolean, resolve: LookupFunction = systemLookup as LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    if (isReservedInvalid(hostname)) {
      const err: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname });
      return process.nextTick(callback, err, '', 0);
    }
    if (allowMetadata) return resolve(hostname, options, callback);
    resolve(hostname, options, (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => {
      const addresses = err ? [] : Array.isArray(address) ? address.map((a) => a.address) : [address];
      const bad = addresses.find(isMetadataHost);
      if (bad === undefined) return (callback as (...args: unknown[]) => void)(err, address, family);
      const refused: NodeJS.ErrnoException = Object.assign(
        new Error(`${hostname} resolves to the cloud metadata address ${bad}, refused: name "${hostname}" in the scenario's allowHosts (on a remote agent: in the agent's --allow-hosts) to load it`),
        { code: 'EMETADATA', hostname },
      );
      (callback as (...args: unknown[]) => void)(refused, '', 0);
    });
  };
}
