import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderHtml, renderMarkdown, renderText, type PhaseEntry } from '../src/index.js';
import { HOSTILE, sampleReport } from './report-sample.js';

const SETUP: PhaseEntry[] = [
  { name: 'admin login', status: 200, ms: 12, ok: true },
  { name: 'create fixture', status: 500, ms: 7, ok: false, error: 'HTTP_500' },
];
const TEARDOWN: PhaseEntry[] = [{ name: HOSTILE, status: 0, ms: 3, ok: false, error: 'ECONNREFUSED' }];

test('text, markdown and HTML show setup and teardown in their own tables, a failure by its kind, a missing status as -', () => {
  const report = { ...sampleReport(), setup: SETUP, teardown: TEARDOWN };
  const text = renderText(report);
  assert.match(text, /Setup \(once, outside the load figures\):\n(?:.*\n){2}\s+admin login\s+200\s+12\s+ok\n\s+create fixture\s+500\s+7\s+HTTP_500\n/);
  assert.match(text, /Teardown \(once, outside the load figures\):\n(?:.*\n){2}.*\s+-\s+3\s+ECONNREFUSED\n/);
  const md = renderMarkdown(report);
  assert.match(md, /### Setup\n\n\| request \| status \| ms \| result \|\n[^\n]+\n\| admin login \| 200 \| 12 \| ok \|\n\| create fixture \| 500 \| 7 \| HTTP\\_500 \|/);
  assert.match(md, /### Teardown\n/);
  const html = renderHtml(report);
  assert.match(html, /<h2>Setup<\/h2>[\s\S]*admin login[\s\S]*class="fail"[\s\S]*HTTP_500[\s\S]*<h2>Teardown<\/h2>/);
  assert.ok(!html.includes('<img src=x'), 'a request name is escaped');
  for (const out of [renderText(sampleReport()), renderMarkdown(sampleReport()), renderHtml(sampleReport())]) assert.doesNotMatch(out, /Setup|Teardown/, 'no section without setup or teardown');
});
