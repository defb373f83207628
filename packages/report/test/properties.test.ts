/**
 * Property-based tests (fast-check) of the input parsers every scenario file,
 * CLI flag and threshold goes through: durations and the threshold language.
 * Generated valid inputs parse, and printing what was parsed gives text that
 * parses to the same value; arbitrary text never throws and every rejection
 * says what is wrong (and how to fix it).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  formatDuration,
  formatThresholdKey,
  LATENCY_STATS,
  parseCondition,
  parseDuration,
  parseThresholdKey,
  THRESHOLD_METRICS,
  type ThresholdCondition,
  type ThresholdKey,
  type ThresholdMetric,
} from '../src/index.js';

/** NOVALOAD_FC_SCALE=10 runs every property ten times as often (a deeper local search). */
const SCALE = Number(process.env.NOVALOAD_FC_SCALE ?? 1);
const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));
const RUNS = runs(3000);

// ---------------------------------------------------------------- generators

const UNITS = ['h', 'm', 's', 'ms', 'us', 'µs'] as const;
const UNIT_MS: Record<(typeof UNITS)[number], number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, 'µs': 0.001 };

/** A number as users write it: digits, optionally a fraction (no exponent, no sign). */
function decimalText(maxInt: number, maxFractionDigits: number): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: maxInt }), fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: maxFractionDigits }), { nil: undefined }))
    .map(([int, fraction]) => (fraction === undefined ? String(int) : `${int}.${fraction}`));
}

/** One part of a duration, "90s", "1.5m", "250ms". */
const durationPart = fc.tuple(decimalText(100_000, 3), fc.constantFrom(...UNITS)).map(([n, unit]) => ({ n, unit, text: `${n}${unit}` }));

/** A valid duration text: one or more parts, any order ("1m30s", "2h", "30s1m" too). */
const durationText = fc.oneof(
  { weight: 1, arbitrary: fc.constant('0') },
  { weight: 10, arbitrary: fc.array(durationPart, { minLength: 1, maxLength: 4 }).map((parts) => parts.map((p) => p.text).join('')) },
);

/** Whole-number durations in canonical order ("1h2m3s4ms"), with the value they stand for. */
const wholeDuration = fc
  .tuple(fc.nat(1000), fc.nat(59), fc.nat(59), fc.nat(999))
  .map(([h, m, s, ms]) => ({ ms: h * 3_600_000 + m * 60_000 + s * 1000 + ms, text: `${h}h${m}m${s}s${ms}ms` }));

/** Text shaped like the input languages: their tokens in any order, plus noise. */
const TOKENS = [
  ...UNITS, '0', '1', '9', '10', '.', '..', '1.5', '-', '+', 'e', 'e5', ' ', '\t', '\n', '', 'Infinity', 'NaN', '1e309', '9'.repeat(400),
  'latency', 'serviceTime', 'ttfb', 'errorRate', 'successRate', 'rps', 'dropped', 'latncy', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf',
  'p', 'p0', 'p99', 'p999', 'p100', 'p101', 'avg', 'mean', 'max', '{', '}', 'request', '=', ',', 'request=a', '<', '<=', '>', '>=', '=<', '%', '100%', '101%',
];
const tokenSoup = fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 3 })), { maxLength: 10 }).map((t) => t.join(''));
const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), tokenSoup);

// ---------------------------------------------------------------- durations

/** Canonical duration text: units from large to small, each at most once, no leading zeros; or "0s"; or whole µs. */
const CANONICAL = /^(0s|([1-9]\d*h)?([1-9]\d*m)?([1-9]\d*s)?([1-9]\d*ms)?|[1-9]\d*us)$/;

test('durations: formatDuration then parseDuration gives back every whole number of ms', () => {
  fc.assert(
    fc.property(fc.oneof(fc.nat(10_000_000), fc.maxSafeNat()), (ms) => {
      const text = formatDuration(ms);
      assert.match(text, CANONICAL);
      assert.notEqual(text, '');
      assert.equal(parseDuration(text), ms, `${ms} → "${text}"`);
    }),
    { numRuns: RUNS },
  );
});

test('durations: h/m/s/ms parts parse to their sum and print canonically', () => {
  fc.assert(
    fc.property(wholeDuration, ({ ms, text }) => {
      assert.equal(parseDuration(text), ms);
      const canonical = formatDuration(ms);
      assert.equal(parseDuration(canonical), ms);
      // The canonical text drops zero parts and is never longer than what was written.
      assert.ok(canonical.length <= text.length, `"${canonical}" longer than "${text}"`);
    }),
    { numRuns: RUNS },
  );
});

test('durations: any valid text parses, and its canonical text parses to the same value', () => {
  fc.assert(
    // Examples: sub-µs parts, and float noise ("9us" was 0.009000000000000001 ms).
    fc.property(durationText, fc.constantFrom('', ' ', '\t'), (text, pad) => {
      const ms = parseDuration(`${pad}${text}${pad}`);
      assert.notEqual(ms, null, `"${text}" did not parse`);
      assert.ok(Number.isFinite(ms) && ms! >= 0, `"${text}" → ${ms}`);
      const canonical = formatDuration(ms!);
      assert.match(canonical, CANONICAL, `"${text}" → ${ms} → "${canonical}"`);
      assert.equal(parseDuration(canonical), ms, `"${text}" → ${ms} → "${canonical}" → ${parseDuration(canonical)}`);
      assert.equal(formatDuration(parseDuration(canonical)!), canonical, 'printing is idempotent');
    }),
    { numRuns: RUNS, examples: [['0.2us', ''], ['9us', ''], ['1.1s', ''], ['83912736446345ms', '']] },
  );
});

test('durations: the value is the sum of the parts, to the microsecond', () => {
  fc.assert(
    fc.property(fc.array(durationPart, { minLength: 1, maxLength: 4 }), (parts) => {
      const text = parts.map((p) => p.text).join('');
      const expected = parts.reduce((sum, p) => sum + Number(p.n) * UNIT_MS[p.unit], 0);
      const ms = parseDuration(text)!;
      assert.ok(Math.abs(ms - expected) <= 0.0005 + expected * 1e-12, `"${text}": ${ms} vs ${expected}`);
    }),
    { numRuns: RUNS },
  );
});

test('durations: the same duration written as whole ms or as µs gives the same value', () => {
  fc.assert(
    fc.property(fc.nat(1_000_000_000), (us) => {
      const fromUs = parseDuration(`${us}us`);
      const fromMs = parseDuration(`${us / 1000}ms`);
      assert.equal(fromUs, fromMs, `${us}us vs ${us / 1000}ms`);
      assert.equal(parseDuration(formatDuration(fromUs!)), fromUs);
    }),
    { numRuns: RUNS },
  );
});

test('durations: arbitrary text never throws and never gives a negative, NaN or infinite value', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      const ms = parseDuration(text);
      assert.ok(ms === null || (typeof ms === 'number' && Number.isFinite(ms) && ms >= 0), `"${text}" → ${ms}`);
    }),
    { numRuns: runs(5000), examples: [[`${'9'.repeat(400)}h`], ['1e3s'], ['-1s']] },
  );
});

// ---------------------------------------------------------------- thresholds

const METRICS = Object.keys(THRESHOLD_METRICS) as ThresholdMetric[];
type Unit = (typeof THRESHOLD_METRICS)[ThresholdMetric];
/** Whether the metric has statistics (latency.p95) rather than one value (errorRate). */
const hasStats = (m: ThresholdMetric): boolean => THRESHOLD_METRICS[m] === 'duration';
/** Metrics of the run as a whole (dropped, generator health) take no {request=…} tag. */
const RUN_WIDE = new Set(METRICS.filter((m) => !parseThresholdKey(`${m}${hasStats(m) ? '.p95' : ''}{request=x}`).ok));

/** A request name: any text, weighted towards the tag's own delimiters, quotes, escapes and blanks. */
const requestName = fc.string({ unit: fc.oneof(fc.constantFrom(',', '}', '{', '"', '\\', '=', ' ', '/', 'a'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 20 });

/** A name as a user may write it in a tag: quoted with escapes, or bare when it holds no delimiter and no blank at its ends. */
function tagValue(name: string, quote: boolean): string {
  const bare = name === name.trim() && !/[,}"\\]/.test(name) && !name.startsWith('"');
  return quote || !bare ? `"${name.replace(/["\\]/g, (c) => `\\${c}`)}"` : name;
}

/** A statistic as written, with what it parses to. */
const statistic: fc.Arbitrary<{ text: string; stat: string; percentile?: number }> = fc.oneof(
  fc.constantFrom(...LATENCY_STATS).map((s) =>
    s === 'avg' ? { text: s, stat: 'mean' } : s === 'p999' ? { text: s, stat: s, percentile: 99.9 } : /^p\d+$/.test(s) ? { text: s, stat: s, percentile: Number(s.slice(1)) } : { text: s, stat: s },
  ),
  fc
    .tuple(fc.integer({ min: 1, max: 99 }), fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 3 }), { nil: undefined }))
    .map(([int, fraction]) => {
      const text = `p${int}${fraction === undefined ? '' : `.${fraction}`}`;
      return { text, stat: text, percentile: Number(text.slice(1)) };
    }),
  fc.constant({ text: 'p100', stat: 'p100', percentile: 100 }),
);

/** A valid key as text, with the structure it stands for. */
const thresholdKey: fc.Arbitrary<{ text: string; key: ThresholdKey }> = fc
  .tuple(fc.constantFrom(...METRICS), statistic, fc.option(requestName, { nil: undefined }), fc.constantFrom('', ' '), fc.boolean())
  .map(([metric, stat, request, blank, quote]) => {
    const duration = hasStats(metric);
    const tagged = RUN_WIDE.has(metric) ? undefined : request;
    const key: ThresholdKey = { metric, ...(duration && { stat: stat.stat }), ...(duration && stat.percentile !== undefined && { percentile: stat.percentile }), ...(tagged !== undefined && { request: tagged }) };
    const text = `${metric}${duration ? `.${stat.text}` : ''}${tagged !== undefined ? `{${blank}request${blank}=${blank}${tagValue(tagged, quote)}${blank}}` : ''}`;
    return { text, key };
  });

/** Print a parsed key in the threshold language (the renderers' and hints' own printer). */
const printKey = formatThresholdKey;

/** Print a parsed condition for the key's metric. */
function printCondition(c: ThresholdCondition, k: ThresholdKey): string {
  if (c.relative) return `${c.op}${c.value < 0 || Object.is(c.value, -0) ? '-' : '+'}${plain(Math.abs(c.value))}%`;
  const unit: Unit = THRESHOLD_METRICS[k.metric];
  switch (unit) {
    case 'duration':
    case 'ms':
      return `${c.op}${formatDuration(c.value)}`;
    case 'percent':
      return `${c.op}${plain(c.value)}%`;
    case 'number':
      return `${c.op}${plain(c.value)}`;
  }
}

/** A number in positional notation (the language has no exponents). */
function plain(n: number): string {
  const s = String(n);
  assert.ok(!/e/i.test(s), `${n} needs an exponent`);
  return s;
}

const OPERATORS = ['<', '<=', '>', '>='] as const;

/** A valid condition for the key's metric, with the value it stands for. */
function condition(k: ThresholdKey): fc.Arbitrary<{ text: string; value: number; relative: boolean }> {
  const relative = fc.tuple(fc.constantFrom('+', '-'), decimalText(1000, 3)).map(([sign, n]) => ({ body: `${sign}${n}%`, value: Number(`${sign}${n}`), relative: true }));
  const absolute = ((): fc.Arbitrary<{ body: string; value: number; relative: boolean }> => {
    const unit: Unit = THRESHOLD_METRICS[k.metric];
    switch (unit) {
      case 'duration':
      case 'ms':
        return fc.oneof(
          durationText.map((t) => ({ body: t, value: parseDuration(t)!, relative: false })),
          decimalText(100_000_000, 3).map((n) => ({ body: n, value: Number(n), relative: false })),
        );
      case 'percent':
        return decimalText(100, 4)
          .filter((n) => Number(n) <= 100)
          .map((n) => ({ body: `${n}%`, value: Number(n), relative: false }));
      case 'number':
        return decimalText(1_000_000_000, 4).map((n) => ({ body: n, value: Number(n), relative: false }));
    }
  })();
  return fc
    .tuple(fc.constantFrom(...OPERATORS), fc.oneof({ weight: 4, arbitrary: absolute }, { weight: 1, arbitrary: relative }), fc.constantFrom('', ' '))
    .map(([op, v, blank]) => ({ text: `${blank}${op}${blank}${v.body}${blank}`, value: v.value, relative: v.relative }));
}

test('thresholds: generated keys parse to their structure, and print back to text that parses the same', () => {
  fc.assert(
    fc.property(thresholdKey, ({ text, key }) => {
      const parsed = parseThresholdKey(text);
      assert.ok(parsed.ok, `"${text}": ${!parsed.ok && parsed.problem.message}`);
      assert.deepEqual(parsed.value, key);
      const printed = printKey(parsed.value);
      const again = parseThresholdKey(printed);
      assert.ok(again.ok, `"${printed}" (printed from "${text}") does not parse`);
      assert.deepEqual(again.value, parsed.value);
      assert.equal(printKey(again.value), printed, 'printing is idempotent');
    }),
    { numRuns: RUNS },
  );
});

test('thresholds: generated conditions parse to op and value, and print back to text that parses the same', () => {
  fc.assert(
    fc.property(
      thresholdKey.chain(({ key }) => fc.tuple(fc.constant(key), condition(key))),
      ([key, c]) => {
        const parsed = parseCondition(c.text, key);
        assert.ok(parsed.ok, `"${c.text}" for ${printKey(key)}: ${!parsed.ok && parsed.problem.message}`);
        assert.equal(parsed.value.op, c.text.trim().match(/^(<=|>=|<|>)/)![1]);
        assert.equal(parsed.value.value, c.value, `"${c.text}" for ${printKey(key)}`);
        assert.equal(parsed.value.relative === true, c.relative);
        const printed = printCondition(parsed.value, key);
        const again = parseCondition(printed, key);
        assert.ok(again.ok, `"${printed}" (printed from "${c.text}") does not parse: ${!again.ok && again.problem.message}`);
        assert.deepEqual(again.value, parsed.value, `"${c.text}" → "${printed}"`);
      },
    ),
    { numRuns: RUNS },
  );
});

test('thresholds: a duration bound is the same value written as a duration or as plain ms', () => {
  fc.assert(
    fc.property(fc.constantFrom(...OPERATORS), fc.nat(1_000_000_000), (op, us) => {
      const key: ThresholdKey = { metric: 'latency', stat: 'p99', percentile: 99 };
      const asMs = parseCondition(`${op}${us / 1000}`, key);
      const asUs = parseCondition(`${op}${us}us`, key);
      assert.ok(asMs.ok && asUs.ok);
      assert.equal(asMs.value.value, asUs.value.value, `${op}${us / 1000} vs ${op}${us}us`);
    }),
    { numRuns: RUNS },
  );
});

/** What every parse outcome must look like: a value, or a problem with a message and a hint. */
function assertOutcome(result: ReturnType<typeof parseThresholdKey> | ReturnType<typeof parseCondition>, input: string): void {
  assert.equal(typeof result.ok, 'boolean');
  if (result.ok) return;
  assert.equal(typeof result.problem.message, 'string');
  assert.ok(result.problem.message.trim() !== '', `"${input}": empty message`);
  assert.ok(typeof result.problem.hint === 'string' && result.problem.hint.trim() !== '', `"${input}": no hint for "${result.problem.message}"`);
}

test('thresholds: arbitrary keys never throw; a key that parses names a known metric and stat, every failure says why', () => {
  fc.assert(
    fc.property(anyText, (text) => {
      const parsed = parseThresholdKey(text);
      assertOutcome(parsed, text);
      if (!parsed.ok) return;
      const { metric, stat, percentile, request } = parsed.value;
      assert.ok(Object.hasOwn(THRESHOLD_METRICS, metric), `"${text}" parsed to metric "${metric}"`);
      if (hasStats(metric)) {
        assert.ok(stat === 'mean' || stat === 'min' || stat === 'max' || stat === 'stdev' || percentile !== undefined, `"${text}": stat ${stat}`);
        if (percentile !== undefined) assert.ok(percentile > 0 && percentile <= 100);
      } else assert.equal(stat, undefined);
      if (request !== undefined) assert.ok(request !== '' && !RUN_WIDE.has(metric));
      assert.deepEqual(parseThresholdKey(printKey(parsed.value)), parsed, `"${text}" → "${printKey(parsed.value)}"`);
    }),
    // "constructor" and the like were read as metrics (the `in` operator sees Object.prototype).
    { numRuns: runs(5000), examples: [['constructor'], ['hasOwnProperty'], ['toString{request=a}'], ['valueOf']] },
  );
});

test('thresholds: arbitrary conditions never throw; a condition that parses has a finite value in range, every failure says why', () => {
  fc.assert(
    fc.property(thresholdKey, fc.oneof(anyText, fc.tuple(fc.constantFrom(...OPERATORS, ''), anyText).map(([op, t]) => op + t)), ({ key }, text) => {
      const parsed = parseCondition(text, key);
      assertOutcome(parsed, text);
      if (!parsed.ok) return;
      assert.ok((OPERATORS as readonly string[]).includes(parsed.value.op));
      assert.ok(Number.isFinite(parsed.value.value), `"${text}" → ${parsed.value.value}`);
      if (!parsed.value.relative) {
        assert.ok(parsed.value.value >= 0, `"${text}" → ${parsed.value.value}`);
        if (THRESHOLD_METRICS[key.metric] === 'percent') assert.ok(parsed.value.value <= 100, `"${text}" → ${parsed.value.value}`);
      }
    }),
    // A bound of 400 digits was read as Infinity.
    { numRuns: runs(5000), examples: [[{ text: 'rps', key: { metric: 'rps' } }, `<${'9'.repeat(400)}`], [{ text: 'errorRate', key: { metric: 'errorRate' } }, `<+${'9'.repeat(400)}%`]] },
  );
});
