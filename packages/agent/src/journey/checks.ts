/**
 * The evaluator of a request's response checks (`expect.json`, `.body`,
 * `.headers`), compiled once per share when the requests are prepared:
 * JSONPaths parsed, regexes built, expected values compiled (check-value.ts:
 * templates in them render per response from the VU's state).
 * Per response it parses the body as JSON at most once, runs every check
 * (each one's pass or fail is counted) and names the first failure's kind,
 * so a 200 that says "login failed" is a failed request.
 */
import { isDeepStrictEqual } from 'node:util';
import type { ResolvedCheck } from '../scenario.js';
import { checkName } from './check-name.js';
import { compileCheckJsonValue, compileCheckValue } from './check-value.js';
import type { RunScope } from './compile.js';
import { compileJsonPath } from './json-path.js';
import type { VuState } from './state.js';

/** The error kind of a response that failed a check, by what the check looked at. */
export type CheckKind = 'CHECK_JSON' | 'CHECK_BODY' | 'CHECK_HEADER';

const KIND = { json: 'CHECK_JSON', body: 'CHECK_BODY', header: 'CHECK_HEADER' } as const;

/** What checks read of a response: the body as text ('' unless needed) and headers by lower-cased name (repeats joined with ", "). */
export interface CheckedBody {
  body: string;
  headers: Readonly<Record<string, string>>;
  /** The body parsed once for captures and checks alike; undefined when it is not JSON. Without it, checks parse the body. */
  json?: () => unknown;
}

/** Per-check counters, indexed like CompiledChecks.names (the endpoint's recorder holds them). */
export interface CheckCounts {
  readonly passes: number[];
  readonly fails: number[];
}

/** A document that is not JSON: every json check of the response fails. */
const NOT_JSON = Symbol('not JSON');

type Test = (res: CheckedBody, doc: unknown, s: VuState) => boolean;

/** The string a regex is matched against: a string as is, any other JSON value serialised. */
const textOf = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** The string value of a check that takes one (matches, contains, notContains, a header's equals); throws otherwise. */
function stringOf(check: ResolvedCheck): string {
  if (typeof check.value !== 'string') throw new Error(`${check.on} check "${check.op}" needs a string, not ${JSON.stringify(check.value)}`);
  return check.value;
}

function jsonTest(check: ResolvedCheck, scope: RunScope): Test {
  const select = compileJsonPath(check.target);
  const found = (doc: unknown): unknown[] => (doc === NOT_JSON ? [] : select(doc));
  switch (check.op) {
    case 'exists': {
      const want = check.value !== false;
      // null counts as missing: `{"token": null}` has no token.
      return (_res, doc) => doc !== NOT_JSON && found(doc).some((v) => v !== null) === want;
    }
    case 'equals': {
      if (typeof check.value === 'string') {
        const expected = compileCheckJsonValue(check.value, scope);
        return (_res, doc, s) => {
          const want = expected(s);
          const values = found(doc);
          return want !== undefined && values.length > 0 && isDeepStrictEqual(values[0], want);
        };
      }
      const literal = check.value;
      return (_res, doc) => {
        const values = found(doc);
        return values.length > 0 && isDeepStrictEqual(values[0], literal);
      };
    }
    case 'matches': {
      const re = new RegExp(stringOf(check));
      return (_res, doc) => {
        const values = found(doc);
        return values.length > 0 && re.test(textOf(values[0]));
      };
    }
    default:
      throw new Error(`json check cannot use "${check.op}"`);
  }
}

function bodyTest(check: ResolvedCheck, scope: RunScope): Test {
  if (check.op !== 'contains' && check.op !== 'notContains') throw new Error(`body check cannot use "${check.op}"`);
  const expected = compileCheckValue(stringOf(check), scope);
  const want = check.op === 'contains';
  return (res, _doc, s) => {
    const text = expected(s);
    return text !== undefined && res.body.includes(text) === want;
  };
}

function headerTest(check: ResolvedCheck, scope: RunScope): Test {
  const name = check.target;
  switch (check.op) {
    case 'exists': {
      const want = check.value !== false;
      return (res) => Object.hasOwn(res.headers, name) === want;
    }
    case 'equals': {
      const expected = compileCheckValue(stringOf(check), scope);
      return (res, _doc, s) => {
        const text = expected(s);
        return text !== undefined && res.headers[name] === text;
      };
    }
    case 'matches': {
      const re = new RegExp(stringOf(check));
      return (res) => Object.hasOwn(res.headers, name) && re.test(res.headers[name]!);
    }
    default:
      throw new Error(`header check cannot use "${check.op}"`);
  }
}

/** The checks of one request, compiled. */
export class CompiledChecks {
  /** Check names (check-name.ts), in the file's order: the keys of the counts. */
  readonly names: readonly string[];
  /** Some check reads the body (json or body checks): the VU keeps it. */
  readonly needsBody: boolean;
  /** Some check reads headers: the VU parses them. */
  readonly needsHeaders: boolean;
  readonly #tests: Test[];
  readonly #kinds: CheckKind[];
  readonly #json: boolean;

  /**
   * Compile every check, its templates with the request plan's `scope`;
   * throws on one the controller would have refused (a bad path, regex,
   * operator or template name).
   */
  constructor(checks: readonly ResolvedCheck[], scope: RunScope) {
    this.names = checks.map(checkName);
    this.#tests = checks.map((c) => (c.on === 'json' ? jsonTest(c, scope) : c.on === 'body' ? bodyTest(c, scope) : headerTest(c, scope)));
    this.#kinds = checks.map((c) => KIND[c.on]);
    this.#json = checks.some((c) => c.on === 'json');
    this.needsBody = checks.some((c) => c.on !== 'header');
    this.needsHeaders = checks.some((c) => c.on === 'header');
  }

  /**
   * Run every check on a response, counting each pass and fail into
   * `counts`; `s` is the VU's state, what templates in check values read.
   * The first failing check's kind, or null.
   */
  evaluate(res: CheckedBody, s: VuState, counts: CheckCounts): CheckKind | null {
    let doc: unknown = NOT_JSON;
    if (this.#json && res.json !== undefined) {
      const parsed = res.json();
      doc = parsed === undefined ? NOT_JSON : parsed;
    } else if (this.#json) {
      try {
        doc = JSON.parse(res.body);
      } catch {
        doc = NOT_JSON;
      }
    }
    let kind: CheckKind | null = null;
    for (let i = 0; i < this.#tests.length; i++) {
      if (this.#tests[i]!(res, doc, s)) counts.passes[i]!++;
      else {
        counts.fails[i]!++;
        kind ??= this.#kinds[i]!;
      }
    }
    return kind;
  }
}
