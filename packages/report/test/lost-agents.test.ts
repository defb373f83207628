import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderJunit, renderMarkdown, renderText, type Report } from '../src/index.js';
import { HOSTILE, sampleReport } from './report-sample.js';

/** The sample with three agents: one finished, two lost at known seconds. */
function twoLost(): Report {
  const r = sampleReport();
  return {
    ...r,
    agents: [
      { name: 'a', share: 0, shares: [0], requests: 2000, clockOffsetMs: 0, status: 'ok' },
      { name: 'b', share: 1, shares: [1], requests: 700, clockOffsetMs: 0, status: 'lost', lostAtSeconds: 1.3 },
      { name: 'c', share: 2, shares: [2], requests: 0, clockOffsetMs: 0, status: 'lost', lostAtSeconds: 0 },
    ],
  };
}

const SENTENCE = '2 of 3 agent(s) lost: b at 1.3 s into the run (700 requests reported before), c at 0 s into the run (0 requests reported before); figures cover what arrived, the rest of their load is missing.';

test('text: the lost agents are named with when they were lost, after the verdict', () => {
  const lines = renderText(twoLost()).split('\n');
  const verdict = lines.findIndex((l) => l.startsWith('Verdict: '));
  const lost = lines.indexOf(`LOST: ${SENTENCE}`);
  assert.ok(lost > verdict && verdict > 0, lines.join('\n'));
});

test('markdown: a caution block names the lost agents, escaped', () => {
  assert.ok(renderMarkdown(twoLost()).includes(`> [!CAUTION]\n> **Agents lost.** ${SENTENCE}\n`));
  const hostile = renderMarkdown(sampleReport());
  assert.match(hostile, /\*\*Agents lost\.\*\* 1 of 2 agent\(s\) lost: agent-&lt;\/script&gt;.* at 2 s into the run \(2097 requests reported before\)/);
  assert.ok(!hostile.includes('<img') && HOSTILE.includes('<img'));
});

test('JUnit: agents and agents.lost properties, and the sentence in the suite\'s stderr and stdout', () => {
  const xml = renderJunit(twoLost());
  assert.ok(xml.includes('<property name="agents" value="3"/>'), xml);
  assert.ok(xml.includes('<property name="agents.lost" value="2"/>'), xml);
  const err = /<system-err>([^]*)<\/system-err>/.exec(xml)![1]!;
  assert.ok(err.split('\n').includes(`LOST: ${SENTENCE}`), err);
  assert.ok(/<system-out>[^]*LOST: 2 of 3 agent\(s\) lost/.test(xml));
});

test('nothing is said when every agent finished, nor for a local run', () => {
  const r = twoLost();
  const fine: Report = { ...r, agents: r.agents.map((a) => ({ ...a, status: 'ok' as const, lostAtSeconds: undefined })) };
  for (const out of [renderText(fine), renderMarkdown(fine), renderJunit(fine)]) assert.ok(!/LOST:|Agents lost|agent\(s\) lost/.test(out), out);
  assert.ok(renderJunit(fine).includes('<property name="agents.lost" value="0"/>'));
  const local = renderJunit({ ...r, agents: [] });
  assert.ok(!local.includes('name="agents'), local);
});
