/**
 * Problems found in user input (scenario files, CLI overrides), collected so
 * that one run reports every mistake at once, each at its JSON path, and the
 * CLI can turn them into exit code 104 with no stack trace.
 */

/** One mistake in the input. `path` is `$.requests[1].method`, a flag (`--rate`), or '' for the whole file. */
export interface Problem {
  file: string;
  path: string;
  message: string;
  hint?: string;
  /** Where in a YAML file (1-based): the node at `path`, or the syntax error. */
  line?: number;
  column?: number;
}

/** Thrown when input is invalid; carries every problem so the CLI prints them all and exits 104. */
export class InputError extends Error {
  readonly problems: Problem[];

  constructor(problems: Problem[]) {
    super(formatProblems(problems));
    this.name = 'InputError';
    this.problems = problems;
  }
}

/**
 * One line per problem, `file: $.path: message (hint)` (`file:line:column: …`
 * in a YAML file), for terminals and CI
 * logs; control characters quoted from the input (a line break in a value) are
 * written as JSON escapes, so a problem never spans lines or drives the terminal.
 */
export function formatProblems(problems: readonly Problem[]): string {
  return problems
    .map((p) => {
      const file = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
      const where = p.path === '' ? file : `${file}: ${p.path}`;
      return `${where}: ${p.message}${p.hint ? ` (${p.hint})` : ''}`.replace(/[\0-\x1f]/g, (c) => JSON.stringify(c).slice(1, -1));
    })
    .join('\n');
}

/** A step into a JSON value: an object key or an array index. */
export type Segment = string | number;

/** Write segments as a JSONPath: `$.requests[1]["latency.p99"]` — dots for identifiers, brackets otherwise. */
export function jsonPath(...segments: Segment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** Collects the problems of one file, so every check runs and all are reported together. */
export class ProblemList {
  readonly items: Problem[] = [];

  constructor(readonly file: string) {}

  /** Record a problem (an identical one at the same path is recorded once). */
  add(path: string, message: string, hint?: string): void {
    if (this.items.some((p) => p.path === path && p.message === message)) return;
    this.items.push(hint ? { file: this.file, path, message, hint } : { file: this.file, path, message });
  }

  /** Whether a problem is recorded at `path`, so a later check does not report the same value twice. */
  has(path: string): boolean {
    return this.items.some((p) => p.path === path);
  }

  /** Throw an InputError when anything was recorded. */
  throwIfAny(): void {
    if (this.items.length > 0) throw new InputError(this.items);
  }
}
