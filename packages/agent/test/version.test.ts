/**
 * VERSION (the User-Agent's and `novaload --version`'s) is the version of
 * every package.json: the workspace's three packages and the published
 * `novaload`, so a release cannot bump one and ship another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VERSION } from '../src/version.js';
import { USER_AGENT } from '../src/user-agent.js';

const ROOT = new URL('../../../../', import.meta.url);

test('VERSION equals the version of every package.json, and the User-Agent carries it', () => {
  for (const dir of ['report', 'agent', 'controller', 'novaload']) {
    const { version } = JSON.parse(readFileSync(new URL(`packages/${dir}/package.json`, ROOT), 'utf8')) as { version: string };
    assert.equal(VERSION, version, `packages/${dir}/package.json`);
  }
  assert.match(VERSION, /^\d+\.\d+\.\d+$/);
  assert.equal(USER_AGENT, `novaload/${VERSION}`);
});
