import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Clock } from '../src/clock.js';
import { ShareData, valueStarts, type Row } from '../src/data-source.js';
import { rowsNeeded, rowsOf, type DataMode, type LoadedData } from '../src/index.js';
import { Rng } from '../src/rng.js';

/** A table of `rows` rows (user = u<r>, n = r) in the given mode. */
function table(rows: number, mode: DataMode, onExhausted: 'recycle' | 'stop' = 'recycle'): LoadedData {
  const cells: string[] = [];
  for (let r = 0; r < rows; r++) cells.push(`u${r}`, String(r));
  return { file: 'users.csv', mode, onExhausted, columns: ['user', 'n'], rows, cells };
}

const clock = new Clock(Date.now());

test('rowsOf: sequential and random rows are dealt r → share r mod N, every row in exactly one share, cells intact', () => {
  for (const mode of ['sequential', 'random'] as const) {
    for (let shares = 1; shares <= 5; shares++) {
      for (let rows = shares; rows <= 23; rows++) {
        const seen: string[] = [];
        for (let share = 0; share < shares; share++) {
          const own = rowsOf(table(rows, mode), 10, share, shares);
          assert.equal(own.index, null);
          const cells = own.cells.split('\0');
          assert.equal(cells.length, own.count * 2);
          for (let j = 0; j < cells.length; j += 2) {
            assert.equal(Number(cells[j + 1]) % shares, share, `${mode} ${rows} rows, share ${share}/${shares}`);
            assert.equal(cells[j], `u${cells[j + 1]}`);
            seen.push(cells[j]!);
          }
        }
        assert.deepEqual(seen.sort(), Array.from({ length: rows }, (_, r) => `u${r}`).sort());
      }
    }
  }
});

test('rowsNeeded: a per-vu share gets exactly the rows (k mod rows) of its VUs k ≡ share (mod N), all of them when they wrap', () => {
  for (let shares = 1; shares <= 4; shares++) {
    for (let rows = 1; rows <= 9; rows++) {
      for (let vus = 1; vus <= 14; vus++) {
        for (let share = 0; share < shares; share++) {
          const brute = new Set<number>();
          for (let k = share; k < vus; k += shares) brute.add(k % rows);
          const needed = rowsNeeded(table(rows, 'per-vu'), vus, share, shares);
          assert.deepEqual(needed, [...brute].sort((a, b) => a - b), `${rows} rows, ${vus} VUs, share ${share}/${shares}`);
          const own = rowsOf(table(rows, 'per-vu'), vus, share, shares);
          assert.deepEqual(own.cells.split('\0').filter((_, i) => i % 2 === 1).map(Number), needed);
          assert.equal(own.count, needed.length);
        }
      }
    }
  }
  // 3 rows, 4 VUs on 2 shares: share 0 runs VUs 1 and 3 (rows 0, 2), share 1 VUs 2 and 4 (rows 1, 0).
  assert.deepEqual(rowsNeeded(table(3, 'per-vu'), 4, 1, 2), [0, 1]);
});

/** The rows a share hands out, for global VU k, `n` iterations in a row. */
function takes(data: ShareData, k: number, n: number, rng = new Rng(1, k)): (Row | null)[] {
  const out: (Row | null)[] = [];
  let current: Row | null = null;
  for (let i = 0; i < n; i++) out.push((current = data.take(k, current, rng)));
  return out;
}

test('per-vu: VU n (1-based) uses row (n-1) mod rows for its whole life, on any share', () => {
  const t = table(3, 'per-vu');
  for (let share = 0; share < 2; share++) {
    const data = new ShareData(t, rowsOf(t, 7, share, 2), clock, () => assert.fail('per-vu never runs out'));
    for (let k = share; k < 7; k += 2) {
      for (const row of takes(data, k, 4)) assert.deepEqual(row, { user: `u${k % 3}`, n: String(k % 3) }, `VU ${k + 1} on share ${share}`);
    }
  }
});

test('sequential: a share takes its rows in order, none twice until all are used, then recycles', () => {
  const t = table(10, 'sequential');
  const own = rowsOf(t, 4, 1, 3); // rows 1, 4, 7
  const data = new ShareData(t, own, clock, () => assert.fail('recycle never runs out'));
  const users = Array.from({ length: 7 }, (_, i) => data.take(i % 2 === 0 ? 1 : 4, null, new Rng(1, 1))!.user);
  assert.deepEqual(users, ['u1', 'u4', 'u7', 'u1', 'u4', 'u7', 'u1']);
  assert.deepEqual(data.stats(), { taken: 7, exhaustedAtMs: null });
});

test('sequential with stop: after the last row no iteration gets one; the share is told once, on a later turn', async () => {
  const t = table(5, 'sequential', 'stop');
  let told = 0;
  const data = new ShareData(t, rowsOf(t, 2, 0, 2), clock, () => told++); // rows 0, 2, 4
  const rng = new Rng(1, 0);
  assert.deepEqual([0, 1, 2].map(() => data.take(0, null, rng)?.user), ['u0', 'u2', 'u4']);
  assert.equal(data.exhausted, false);
  assert.equal(data.take(0, null, rng), null);
  assert.equal(data.take(2, null, rng), null);
  assert.equal(data.exhausted, true);
  assert.equal(told, 0, 'not from inside the VU that asked');
  await Promise.resolve();
  assert.equal(told, 1);
  const stats = data.stats();
  assert.equal(stats.taken, 3);
  assert.equal(typeof stats.exhaustedAtMs, 'number');
});

test('values are sliced back out of the packed cells exactly, empty ones and line breaks included', () => {
  const t: LoadedData = { file: 'u.csv', mode: 'sequential', onExhausted: 'stop', columns: ['a', 'b'], rows: 3, cells: ['', 'x', 'two\r\nlines', '', 'é,"q"', 'z'] };
  const data = new ShareData(t, rowsOf(t, 1, 0, 1), clock, () => {});
  const rng = new Rng(1, 0);
  assert.deepEqual([0, 1, 2].map(() => data.take(0, null, rng)), [{ a: '', b: 'x' }, { a: 'two\r\nlines', b: '' }, { a: 'é,"q"', b: 'z' }]);
  assert.throws(() => valueStarts('a\0b', 3), /2 value\(s\) where 3 were expected/);
  assert.throws(() => valueStarts('a\0b\0c', 2), /more than the 2 value\(s\) expected/);
});

test('random: draws only the share\'s own rows, and the same seed gives the same rows', () => {
  const t = table(12, 'random');
  const draw = (seed: number): string[] => {
    const data = new ShareData(t, rowsOf(t, 3, 2, 3), clock, () => assert.fail('random never runs out'));
    const rng = new Rng(seed, 5);
    return Array.from({ length: 200 }, () => data.take(5, null, rng)!.user);
  };
  const a = draw(7);
  assert.deepEqual(draw(7), a);
  assert.notDeepEqual(draw(8), a);
  assert.deepEqual([...new Set(a)].sort(), ['u11', 'u2', 'u5', 'u8']);
});
