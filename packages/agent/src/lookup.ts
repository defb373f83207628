/**
 * The name lookup every connection uses: the system resolver, except for
 * names under the reserved `.invalid` TLD, which RFC 6761 §6.4 says must
 * fail at once without asking any DNS server. They fail as the resolver
 * fails for an unknown name (ENOTFOUND), so a run against such a target
 * counts ENOTFOUND whether or not the machine has a network or a resolver
 * that answers (an unreachable one would otherwise hold each connect until
 * connectTimeout, or give EAI_AGAIN).
 */
import { lookup as systemLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';

/** Whether `hostname` is `invalid` or ends in `.invalid` (case-insensitive, trailing dot allowed). */
export function isReservedInvalid(hostname: string): boolean {
  return /(^|\.)invalid\.?$/i.test(hostname);
}

/** dns.lookup, with `.invalid` names failing locally with ENOTFOUND as getaddrinfo would. */
export const lookup: LookupFunction = (hostname, options, callback) => {
  if (!isReservedInvalid(hostname)) return systemLookup(hostname, options, callback);
  const err: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname });
  process.nextTick(callback, err, '', 0);
};
