/**
 * The controller ↔ agent protocol over WebSocket: typed, versioned JSON
 * messages, each checked with ajv on receipt. A message of another version or
 * of the wrong shape is refused with a reason the receiver sends back as the
 * close reason, so both sides can print it.
 */
import type { IntervalSnapshot } from '@novaload/report';
import type { ShareRows } from '../data.js';
import type { ResolvedScenario } from '../scenario.js';
import type { ShareResult } from '../share.js';
import { validatorFor } from './schemas.js';

export const PROTOCOL_VERSION = 1;

/** Runs one agent holds at once (a run file's workloads, each its own plan on the same threads); its pool runs this many tasks per thread. */
export const MAX_RUNS = 8;

/** WebSocket close codes this protocol uses (4000–4999 are the application's). */
export const CLOSE = { normal: 1000, badMessage: 4001, badVersion: 4002, lost: 4008 } as const;

type Msg<T extends string, B = object> = { v: 1; type: T } & B;

export type HeartbeatMessage = Msg<'ping', { id: number; t: number }> | Msg<'pong', { id: number; t: number; time: number }>;

export type ControllerMessage =
  | HeartbeatMessage
  | Msg<'welcome', { agentId: string }>
  | Msg<'plan', { runId: string; scenario: ResolvedScenario; shares: number[]; totalShares: number; seed: number; /** Each share's data rows, in the order of `shares` (scenarios with a data file). */ rows?: ShareRows[] }>
  | Msg<'start', { runId: string; startAt: number }>
  | Msg<'stop', { runId: string; /** Skip gracefulStop (a second signal on the controller). */ now?: boolean }>
  | Msg<'leave', { reason: string }>
  | Msg<'error', { code: string; message: string }>;

export type AgentMessage =
  | HeartbeatMessage
  | Msg<'hello', { name: string; threads: number }>
  | Msg<'ready', { runId: string }>
  | Msg<'snapshot', { runId: string; snapshot: IntervalSnapshot }>
  | Msg<'done', { runId: string; results: ShareResult[] }>
  | Msg<'error', { runId?: string; code: string; message: string }>;

export type Parsed<T> = { ok: true; msg: T } | { ok: false; code: number; reason: string };

const checkFromController = validatorFor('controller');
const checkFromAgent = validatorFor('agent');

function parse<T>(raw: string, check: (v: unknown) => string | null): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, code: CLOSE.badMessage, reason: 'message is not JSON' };
  }
  const v = (value as { v?: unknown } | null)?.v;
  if (typeof value === 'object' && value !== null && v !== PROTOCOL_VERSION) {
    return { ok: false, code: CLOSE.badVersion, reason: `protocol version ${JSON.stringify(v)} is not supported (this side speaks ${PROTOCOL_VERSION})` };
  }
  const problem = check(value);
  return problem === null ? { ok: true, msg: value as T } : { ok: false, code: CLOSE.badMessage, reason: problem };
}

/** Parse and check a message the agent received from its controller. */
export function parseControllerMessage(raw: string): Parsed<ControllerMessage> {
  return parse(raw, checkFromController);
}

/** Parse and check a message the controller received from an agent. */
export function parseAgentMessage(raw: string): Parsed<AgentMessage> {
  return parse(raw, checkFromAgent);
}

/** Close reasons are limited to 123 bytes by the WebSocket protocol. */
export function closeReason(text: string): string {
  const b = Buffer.from(text);
  return b.length <= 123 ? text : `${b.subarray(0, 120).toString().replace(/\uFFFD$/, '')}...`;
}
