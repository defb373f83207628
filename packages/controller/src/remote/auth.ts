/**
 * Agent authentication: a bearer token compared in constant time, and the
 * rule that a controller listening off loopback must have one. The token
 * itself is never logged or reported.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/** Whether `host` is a loopback address (where a token is optional). */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/** Constant-time token check of an upgrade request's `Authorization: Bearer …` header. */
export function tokenMatches(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  // Hash both sides so the comparison has one length whatever was sent.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
