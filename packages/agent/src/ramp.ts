/**
 * The VU plan of ramping-vus as pure arithmetic: the global count v(t)
 * interpolated linearly through the stages, and the exact instants at which
 * this share's VUs start and stop. Global VU k is active while k < v(t), so
 * a share's count at t is shareCount(⌈v(t)⌉) and no coarse polling is needed.
 */
import type { Stage } from './scenario.js';
import { shareCount } from './split.js';

/** Global VU count v(t) at `tMs` after the start: startVUs, then linear towards each stage's target. */
export function rampValueAt(startVUs: number, stages: readonly Stage[], tMs: number): number {
  let from = startVUs;
  let t0 = 0;
  for (const stage of stages) {
    if (tMs < t0 + stage.durationMs) return from + ((stage.target - from) * (tMs - t0)) / stage.durationMs;
    from = stage.target;
    t0 += stage.durationMs;
  }
  return from;
}

/** This share's VU count at `tMs`: global indices k < v(t) with k mod shares = share. */
export function shareVusAt(startVUs: number, stages: readonly Stage[], tMs: number, share: number, shares: number): number {
  return shareCount(Math.ceil(rampValueAt(startVUs, stages, tMs)), share, shares);
}

/** One change of this share's plan: global VU `vu` starts (`up`) or stops at `atMs`. */
export interface VuChange {
  atMs: number;
  vu: number;
  up: boolean;
}

/**
 * Every start and stop of this share's VUs, in time order: at t = 0 the
 * VUs k < startVUs, then VU k starts when a ramp up crosses k and stops when
 * a ramp down reaches k. Its length is the number of changes, not the
 * duration.
 */
export function vuChanges(startVUs: number, stages: readonly Stage[], share: number, shares: number): VuChange[] {
  const changes: VuChange[] = [];
  const first = (lo: number): number => lo + ((((share - lo) % shares) + shares) % shares);
  for (let k = first(0); k < startVUs; k += shares) changes.push({ atMs: 0, vu: k, up: true });
  let from = startVUs;
  let t0 = 0;
  for (const { durationMs: d, target: to } of stages) {
    const at = (k: number): number => (d === 0 ? t0 : t0 + (d * (k - from)) / (to - from));
    if (to > from) {
      for (let k = first(Math.ceil(from)); k < to; k += shares) changes.push({ atMs: at(k), vu: k, up: true });
    } else if (to < from) {
      const low = first(Math.ceil(to));
      for (let k = low + Math.floor((Math.ceil(from) - 1 - low) / shares) * shares; k >= low; k -= shares) {
        changes.push({ atMs: at(k), vu: k, up: false });
      }
    }
    from = to;
    t0 += d;
  }
  return changes;
}
