/**
 * Typed, versioned messages between the controller and a worker thread.
 * Both sides check `v` and `type` on receipt (isFromWorker / isToWorker).
 */
import type { IntervalSnapshot } from '@novaload/report';
import type { ShareResult } from './share.js';

export const WORKER_PROTOCOL = 1;

/** `now`: skip gracefulStop — interrupt what is in flight and finish with what was recorded. */
export type ToWorker = { v: 1; type: 'stop'; now?: boolean };

export type FromWorker =
  | { v: 1; type: 'snapshot'; snapshot: IntervalSnapshot }
  | { v: 1; type: 'done'; result: ShareResult }
  | { v: 1; type: 'error'; code: string; message: string };

/** Narrow an incoming message from a worker, or return null for anything else. */
export function asFromWorker(msg: unknown): FromWorker | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as { v?: unknown; type?: unknown };
  if (m.v !== WORKER_PROTOCOL) return null;
  return m.type === 'snapshot' || m.type === 'done' || m.type === 'error' ? (msg as FromWorker) : null;
}

/** Narrow an incoming message to a worker, or return null for anything else. */
export function asToWorker(msg: unknown): ToWorker | null {
  if (typeof msg !== 'object' || msg === null) return null;
  const m = msg as { v?: unknown; type?: unknown };
  return m.v === WORKER_PROTOCOL && m.type === 'stop' ? (msg as ToWorker) : null;
}
