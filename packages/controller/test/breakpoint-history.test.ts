/** --history: the capacity trend from earlier breakpoint files of the same scenario, oldest first. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyText, readHistory } from '../src/breakpoint/history.js';
import { CliError, EXIT } from '../src/exit-codes.js';

const doc = (scenario: string, startedAt: string, sustainableRate: number | null, stoppedBy = 'threshold') => JSON.stringify({ version: 1, kind: 'breakpoint', scenario, startedAt, breakpoint: { sustainableRate, stoppedBy } });

test('only breakpoint files of the scenario count, oldest first, and the text says the change since the last', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'novaload-bp-history-'));
  await writeFile(join(dir, 'b.json'), doc('api', '2026-11-02T10:00:00.000Z', 400));
  await writeFile(join(dir, 'a.json'), doc('api', '2026-11-09T10:00:00.000Z', 500));
  await writeFile(join(dir, 'c.json'), doc('api', '2026-11-01T10:00:00.000Z', null, 'generator'));
  await writeFile(join(dir, 'other.json'), doc('web', '2026-11-03T10:00:00.000Z', 900));
  await writeFile(join(dir, 'run-report.json'), JSON.stringify({ version: 1, scenario: 'api', startedAt: '2026-11-04T10:00:00.000Z', rps: 10 }));
  await writeFile(join(dir, 'broken.json'), '{');
  const points = await readHistory(dir, 'api');
  assert.deepEqual(points.map((p) => [p.startedAt.slice(0, 10), p.sustainableRate]), [['2026-11-01', null], ['2026-11-02', 400], ['2026-11-09', 500]]);
  const text = historyText(points, 450);
  assert.match(text, /3 earlier runs/);
  assert.match(text, /2026-11-01T10:00:00.000Z {2}none \(generator saturated\)/);
  assert.match(text, /now {2}450\/s \(-10\.0% since 500\/s\)/);
  assert.match(historyText([], 100), /no earlier breakpoint runs/);
});

test('a directory that cannot be read is invalid input', async () => {
  await assert.rejects(readHistory('/nonexistent-novaload-dir', 'api'), (err: unknown) => err instanceof CliError && err.exitCode === EXIT.invalidInput && /--history/.test(err.message));
});
