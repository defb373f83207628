/**
 * The expected strings of checks (`equals`, `contains`, `notContains`) as
 * functions of the VU's variables. This is the one seam where templates in
 * check values (`"item-{{ vu }}"`) plug in: today a value is a literal and
 * the controller refuses one holding `{{` (TEMPLATE_IN_CHECK), so pointing
 * compileCheckValue at the template compiler is the whole change.
 */
import { hasTemplate } from './ast.js';

/** A check's expected string for one response; `scope` is what a template reads (the VU), unused by literals. */
export type CheckValue = (scope: unknown) => string;

/** Compile a check value once, at load. Throws on a template: the controller refuses those before a plan is sent. */
export function compileCheckValue(source: string): CheckValue {
  if (hasTemplate(source)) throw new Error(`check value ${JSON.stringify(source)} holds a template, and templates in checks are not compiled yet`);
  return () => source;
}
