/**
 * The template grammar, small on purpose (README "Templates and captures"):
 *
 *   template := ( text | "{{" expr "}}" )*
 *   expr     := primary ( "??" expr )?
 *   primary  := string | number | name ( "." name )* | name "(" ( expr ( "," expr )* )? ")"
 *   string   := '"' … '"' | "'" … "'"   (\\ and \<quote> are the only escapes)
 *   number   := -?digits(.digits)?        name := [A-Za-z_][A-Za-z0-9_]*
 *
 * A recursive-descent parser that never throws: a mistake is a
 * SyntaxProblem at its offset, for `validate` to report at the JSON path.
 */
import type { Expr, Part, SyntaxProblem, Template } from './ast.js';

/** Calls nest at most this deep: a template is a value, not a program, and recursion stays bounded. */
const MAX_DEPTH = 16;

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;

class Failure {
  constructor(readonly problem: SyntaxProblem) {}
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(message: string, at = this.i): never {
    throw new Failure({ offset: at, message });
  }

  ws(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i])) this.i++;
  }

  eat(token: string): boolean {
    if (!this.s.startsWith(token, this.i)) return false;
    this.i += token.length;
    return true;
  }

  match(re: RegExp): string | null {
    re.lastIndex = this.i;
    const m = re.exec(this.s);
    if (m === null) return null;
    this.i += m[0].length;
    return m[0];
  }

  expr(depth: number): Expr {
    if (depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} calls`);
    this.ws();
    const left = this.primary(depth);
    this.ws();
    if (!this.eat('??')) return left;
    return { type: 'default', left, right: this.expr(depth + 1) };
  }

  primary(depth: number): Expr {
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string(c);
    const num = this.match(NUMBER);
    if (num !== null) return { type: 'number', raw: num };
    const start = this.i;
    const name = this.match(NAME);
    if (name === null) this.fail(c === undefined || this.s.startsWith('}}', this.i) ? 'expected a value' : `unexpected ${JSON.stringify(c)}: expected a name, a string or a number`);
    if (this.eat('(')) return { type: 'call', fn: name, args: this.args(depth) };
    const path = [name];
    while (this.eat('.')) {
      const next = this.match(NAME);
      if (next === null) this.fail(`expected a name after "${path.join('.')}."`);
      path.push(next);
    }
    if (path.length > 8) this.fail('a name has at most 8 parts', start);
    return { type: 'name', path };
  }

  args(depth: number): Expr[] {
    const args: Expr[] = [];
    this.ws();
    if (this.eat(')')) return args;
    for (;;) {
      args.push(this.expr(depth + 1));
      this.ws();
      if (this.eat(')')) return args;
      if (!this.eat(',')) this.fail('expected "," or ")" in the call');
    }
  }

  string(quote: '"' | "'"): Expr {
    const start = this.i++;
    let value = '';
    while (this.i < this.s.length) {
      const c = this.s[this.i++];
      if (c === quote) return { type: 'string', value, quote };
      if (c !== '\\') {
        value += c;
        continue;
      }
      const e = this.s[this.i++];
      if (e !== '\\' && e !== quote) this.fail(`unknown escape "\\${e ?? ''}" in a string (only \\\\ and \\${quote})`, this.i - 2);
      value += e;
    }
    return this.fail('string is not closed', start);
  }

  template(): Template {
    const parts: Part[] = [];
    while (this.i < this.s.length) {
      const open = this.s.indexOf('{{', this.i);
      if (open < 0) {
        parts.push({ type: 'text', text: this.s.slice(this.i) });
        break;
      }
      if (open > this.i) parts.push({ type: 'text', text: this.s.slice(this.i, open) });
      this.i = open + 2;
      const expr = this.expr(0);
      this.ws();
      if (!this.eat('}}')) this.fail(this.i >= this.s.length ? `"{{" at ${open} is not closed by "}}"` : `unexpected ${JSON.stringify(this.s[this.i])}: expected "}}" or "??"`);
      parts.push({ type: 'expr', expr });
    }
    return { parts };
  }
}

/** Parse a template string: its tree, or the first syntax problem. Never throws. */
export function parseTemplate(source: string): { template: Template } | { problem: SyntaxProblem } {
  try {
    return { template: new Parser(source).template() };
  } catch (err) {
    if (err instanceof Failure) return { problem: err.problem };
    throw err;
  }
}

/** The template's canonical source: `{{ expr }}`, `a ?? b`, `f(a, b)`; parsing it gives the same tree. */
export function printTemplate(t: Template): string {
  return t.parts.map((p) => (p.type === 'text' ? p.text : `{{ ${printExpr(p.expr)} }}`)).join('');
}

/** One expression in canonical form. */
export function printExpr(e: Expr): string {
  switch (e.type) {
    case 'string':
      return e.quote + e.value.replace(/\\/g, '\\\\').replaceAll(e.quote, `\\${e.quote}`) + e.quote;
    case 'number':
      return e.raw;
    case 'name':
      return e.path.join('.');
    case 'call':
      return `${e.fn}(${e.args.map(printExpr).join(', ')})`;
    case 'default':
      return `${printExpr(e.left)} ?? ${printExpr(e.right)}`;
  }
}
