import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHtml, renderMarkdown, renderText, type DataReport } from '../src/index.js';
import { sampleReport } from './report-sample.js';

const RAN_OUT: DataReport = { file: 'users.csv', mode: 'sequential', onExhausted: 'stop', rows: 40, taken: 40, exhausted: true, exhaustedAtMs: 1234 };

test('text, markdown and HTML say how the data rows were used, and when sequential rows with stop ran out', () => {
  const report = { ...sampleReport(), data: RAN_OUT };
  const line = 'Data: users.csv (sequential, stop): 40 row(s), 40 taken by iterations; the rows ran out at 1.23 s and no more iterations were started (not an error).';
  assert.ok(renderText(report).includes(`${line}\n`));
  assert.ok(renderMarkdown(report).includes(`> [!NOTE]\n> ${line}`));
  assert.ok(renderHtml(report).includes(`<p class="notice">${line}</p>`));
  const perVu = renderText({ ...report, data: { ...RAN_OUT, mode: 'per-vu', onExhausted: 'recycle', exhausted: false, exhaustedAtMs: null, taken: 300, missingShares: 1 } });
  assert.ok(perVu.includes('Data: users.csv (per-vu): 40 row(s), 300 taken by iterations; 1 share(s) sent no figures.\n'));
  assert.ok(!renderText(sampleReport()).includes('Data:'), 'no line without a data file');
});
