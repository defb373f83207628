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

/**
 * The warning for a controller that listens off loopback without TLS, or
 * null. A warning and not a refusal: inside one private network (a
 * Kubernetes cluster, a VPC) plain ws is a deliberate choice, and refusing
 * would break those set-ups; but the operator must know that the token and
 * the scenario (with its headers) can be read on the way.
 */
export function cleartextWarning(listen: string, host: string, tls: boolean): string | null {
  if (tls || isLoopback(host)) return null;
  return `warning: --listen ${listen} is off loopback without --tls-cert: the token and the scenario (headers included) travel in clear; anyone on the path can read them. Serve wss:// with --tls-cert and --tls-key (agents: --ca)`;
}

/** Constant-time token check of an upgrade request's `Authorization: Bearer …` header. */
export function tokenMatches(req: IncomingMessage, token: string | undefined): boolean {
  if (token === undefined) return true;
  return tokenEquals(bearerOf(req), token);
}

/** The `Authorization: Bearer …` token of a request, or ''. */
export function bearerOf(req: IncomingMessage): string {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : '';
}

/** Constant-time comparison of a presented token with the expected one; an empty one never matches. */
export function tokenEquals(given: string, token: string): boolean {
  // Hash both sides so the comparison has one length whatever was sent.
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(token).digest();
  return timingSafeEqual(a, b) && given.length > 0;
}
