/**
 * The syntax tree of a `{{ expr }}` template, shared by the parser, the
 * printer, the controller's name checks and the compiler: plain data, so
 * the template source is what crosses threads and the network, and every
 * share compiles it on its own.
 */

/** A value of an expression: a string literal keeps its quote so printing gives back the input. */
export type Expr =
  | { type: 'string'; value: string; quote: '"' | "'" }
  | { type: 'number'; raw: string }
  | { type: 'name'; path: string[] }
  | { type: 'call'; fn: string; args: Expr[] }
  | { type: 'default'; left: Expr; right: Expr };

/** Literal text, or one `{{ expr }}`. */
export type Part = { type: 'text'; text: string } | { type: 'expr'; expr: Expr };

/** A parsed template string: its parts in order. */
export interface Template {
  parts: Part[];
}

/** A syntax error at a character offset of the template source. */
export interface SyntaxProblem {
  offset: number;
  message: string;
}

/** Functions a template may call, with their number of arguments. */
export const FUNCTIONS: Readonly<Record<string, number>> = { uuid: 0, randomInt: 2, randomString: 1, timestamp: 0 };

/** Whether a string holds template syntax at all: a static string costs nothing at run time. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/** The single expression when the whole string is exactly one `{{ expr }}` (a JSON value then keeps its type). */
export function soleExpr(t: Template): Expr | null {
  return t.parts.length === 1 && t.parts[0].type === 'expr' ? t.parts[0].expr : null;
}
