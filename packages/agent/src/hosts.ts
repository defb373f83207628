/**
 * Which hosts load may go to: cloud metadata endpoints are never a target
 * unless named explicitly in an allow-list. Shared by scenario validation
 * (controller), plan checks (remote agents) and the connection lookup.
 *
 * Every host is compared in its canonical form: one address has many
 * spellings (2852039166, 0xa9fea9fe, 0251.0376.0251.0376, 169.254.43518,
 * [::ffff:a9fe:a9fe], [0:0:0:0:0:ffff:a9fe:a9fe] are all 169.254.169.254),
 * and `new URL()` rewrites only some of them (IPv4 forms become dotted
 * quads, IPv6 is compressed but an IPv4-mapped address stays IPv6, a name's
 * trailing dot stays), while allow-list entries and resolved addresses come
 * as written.
 */
import { isIPv6 } from 'node:net';

/** Instance-metadata endpoints of the common clouds (AWS, GCP, Azure, Alibaba, ECS task metadata). */
export const METADATA_HOSTS = ['169.254.169.254', 'fd00:ec2::254', 'metadata.google.internal', 'metadata.goog', '100.100.100.200', '169.254.170.2'];

/** The host of an http(s) URL as written in messages: no brackets, lower case. */
export function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** An IPv4 part as inet_aton and WHATWG URL read it: 0x… hex, 0… octal, else decimal; null when it is none. */
function ipv4Part(part: string): number | null {
  if (/^0x[0-9a-f]*$/.test(part)) return part.length === 2 ? 0 : parseInt(part.slice(2), 16);
  if (/^0[0-7]+$/.test(part)) return parseInt(part, 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return Number(part);
  return null;
}

/** An IPv4 address in any of its 1–4 part forms (the last part fills the remaining bytes), as a 32-bit number; null when not one. */
export function parseIPv4(host: string): number | null {
  const parts = host.split('.');
  if (parts.length > 4) return null;
  const values = parts.map(ipv4Part);
  if (values.some((v) => v === null)) return null;
  const nums = values as number[];
  const last = nums.pop()!;
  if (nums.some((v) => v > 255) || last >= 256 ** (4 - nums.length)) return null;
  return nums.reduce((sum, v, i) => sum + v * 256 ** (3 - i), 0) + last;
}

const dotted = (n: number): string => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** An IPv6 address (zone id ignored, embedded dotted IPv4 allowed) as its eight 16-bit groups; null when not one. */
export function parseIPv6(host: string): number[] | null {
  const h = host.replace(/%.*$/, '');
  if (!isIPv6(h)) return null;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  const n = v4 ? parseIPv4(v4[1]!)! : 0;
  const hex = v4 ? `${h.slice(0, -v4[1]!.length)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}` : h;
  const [head, tail] = hex.includes('::') ? hex.split('::') : [hex, undefined];
  const groups = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const front = groups(head);
  const back = groups(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** The IPv4 address an IPv6 one stands for: IPv4-mapped (::ffff:0:0/96), IPv4-compatible (::/96) or NAT64 (64:ff9b::/96); else null. */
function embeddedIPv4(g: number[]): number | null {
  const zeros = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 5) && g[5] === 0xffff;
  const compatible = zeros(0, 6) && g[6]! !== 0;
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6);
  return mapped || compatible || nat64 ? g[6]! * 65536 + g[7]! : null;
}

/**
 * The one spelling of a host that comparisons use: lower case, without
 * brackets or trailing dots; IPv4 as a dotted quad whatever its form; an
 * IPv4-mapped IPv6 address as its IPv4 (it reaches the same endpoint);
 * other IPv6 as eight hex groups without leading zeros.
 */
export function canonicalHost(host: string): string {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.+$/, '');
  const v4 = parseIPv4(h);
  if (v4 !== null) return dotted(v4);
  const v6 = parseIPv6(h);
  if (v6 === null) return h;
  const mapped = v6.slice(0, 5).every((x) => x === 0) && v6[5] === 0xffff;
  return mapped ? dotted(v6[6]! * 65536 + v6[7]!) : v6.map((g) => g.toString(16)).join(':');
}

const CANONICAL_METADATA = new Set(METADATA_HOSTS.map(canonicalHost));

/** Whether `host` (any spelling) is a cloud metadata address: a listed one, any 169.254.x.x link-local address, or an IPv6 address embedding one. */
export function isMetadataHost(host: string): boolean {
  const h = canonicalHost(host);
  if (CANONICAL_METADATA.has(h)) return true;
  const v4 = parseIPv4(h);
  if (v4 !== null) return Math.floor(v4 / 65536) === 0xa9fe;
  const v6 = parseIPv6(h);
  const embedded = v6 && embeddedIPv4(v6);
  return embedded !== null && embedded !== undefined && isMetadataHost(dotted(embedded));
}

/** Whether an allow-list names `host`, both compared in canonical form (so case, brackets, trailing dots and address spellings do not matter). */
export function allowListNames(allowList: readonly (string | undefined)[] | undefined, host: string): boolean {
  const h = canonicalHost(host);
  return allowList?.some((entry) => entry !== undefined && canonicalHost(entry) === h) ?? false;
}
