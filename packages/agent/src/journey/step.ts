/**
 * The step hook: a request with templates or captures becomes a compiled
 * program the VU runs around its dispatch. `build` renders what changes
 * (the rest is prebuilt, as for a static request) or returns null when a
 * value it needs is missing: that request is not sent. `after` runs the
 * captures on the response and gives an error kind, or null.
 */
import type { Dispatcher } from 'undici';
import { hasTemplate } from './ast.js';
import { compileCapture, type Capture, type CaptureSpec, type StepResponse } from './capture.js';
import { compileJson, compileTemplate, type Evaluate, type Render, type RunScope } from './compile.js';
import type { CompiledChecks } from './checks.js';
import type { VuState } from './state.js';

/** A request's compiled journey program. */
export interface Step {
  /** Dispatch options for this VU now, or null: a value is missing and the request is not sent. */
  build(s: VuState): Dispatcher.DispatchOptions | null;
  /** The response's raw headers must be kept for `after`. */
  readonly needsHeaders: boolean;
  /** The response's body must be kept for `after`. */
  readonly needsBody: boolean;
  /**
   * After the response: null when it failed already (transport error or
   * status), which leaves its captured names unset, so no later request goes
   * out with a stale or empty value. Returns an error kind, or null for ok.
   */
  after(s: VuState, res: StepResponse | null): string | null;
}

/** The parts of a request that may hold templates, and its captures. */
export interface StepSource {
  /** Full path (base path of the target included). */
  path: string;
  headers: Record<string, string>;
  /** Text body, or null. */
  body: string | null;
  /** A JSON body with templates (its strings are rendered); sent serialised. */
  json?: unknown;
  capture?: CaptureSpec[];
}

/** Whether a request needs a step at all; a static one keeps today's prebuilt path. */
export function needsStep(src: StepSource): boolean {
  return hasTemplate(src.path) || Object.values(src.headers).some(hasTemplate) || (src.body !== null && hasTemplate(src.body)) || src.json !== undefined || (src.capture?.length ?? 0) > 0;
}

/**
 * Compile a request's step; `base` is its prebuilt options, reused for
 * everything that does not change. `checks` (the VU runs them after the
 * step) add what they read to what the response must keep.
 */
export function compileStep(src: StepSource, base: Dispatcher.DispatchOptions, scope: RunScope, checks: CompiledChecks | null = null): Step {
  const path: Render | null = hasTemplate(src.path) ? compileTemplate(src.path, scope) : null;
  const headers = Object.entries(src.headers).filter(([, v]) => hasTemplate(v)).map(([k, v]) => [k, compileTemplate(v, scope)] as const);
  const text: Render | null = src.body !== null && hasTemplate(src.body) ? compileTemplate(src.body, scope) : null;
  const json: Evaluate | null = src.json !== undefined ? compileJson(src.json, scope) : null;
  const captures: Capture[] = (src.capture ?? []).map((c) => compileCapture(c, slotOf(scope, c.as)));
  return {
    needsHeaders: captures.some((c) => c.needsHeaders) || (checks?.needsHeaders ?? false),
    needsBody: captures.some((c) => c.needsBody) || (checks?.needsBody ?? false),
    build(s) {
      let body = base.body;
      if (json !== null) {
        const value = json(s);
        if (value === undefined) return null;
        body = Buffer.from(JSON.stringify(value));
      } else if (text !== null) {
        const value = text(s);
        if (value === undefined) return null;
        body = Buffer.from(value);
      }
      const p = path === null ? base.path : path(s);
      if (p === undefined) return null;
      let h = base.headers;
      if (headers.length > 0) {
        const out: Record<string, string> = { ...(base.headers as Record<string, string>) };
        for (const [k, render] of headers) {
          const v = render(s);
          if (v === undefined) return null;
          out[k] = v;
        }
        h = out;
      }
      return { method: base.method, path: p, headers: h, body };
    },
    after(s, res) {
      s.missed = null;
      if (res === null) {
        for (const c of captures) s.slots[c.slot] = undefined;
        return null;
      }
      for (const c of captures) {
        const v = c.take(res);
        s.slots[c.slot] = v;
        if (v === undefined && s.missed === null) s.missed = c.name;
      }
      return s.missed === null ? null : 'CAPTURE_MISSING';
    },
  };
}

function slotOf(scope: RunScope, name: string): number {
  const slot = scope.slots.get(name);
  if (slot === undefined) throw new Error(`capture "${name}" has no slot`);
  return slot;
}
