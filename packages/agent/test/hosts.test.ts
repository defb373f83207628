/** Host normalisation: every spelling of a metadata address is one, and allow-lists match in canonical form. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowListNames, canonicalHost, isMetadataHost, parseIPv4 } from '../src/hosts.js';

/** Spellings of 169.254.169.254 (and of fd00:ec2::254), as written in a URL, an allow-list or a resolver's answer. */
const SPELLINGS: [string, string][] = [
  ['2852039166', '169.254.169.254'],
  ['0xa9fea9fe', '169.254.169.254'],
  ['0XA9FEA9FE', '169.254.169.254'],
  ['0251.0376.0251.0376', '169.254.169.254'],
  ['0xa9.0xfe.0xa9.0xfe', '169.254.169.254'],
  ['169.254.43518', '169.254.169.254'],
  ['169.16689662', '169.254.169.254'],
  ['169.254.169.254.', '169.254.169.254'],
  ['::ffff:169.254.169.254', '169.254.169.254'],
  ['[::ffff:169.254.169.254]', '169.254.169.254'],
  ['::ffff:a9fe:a9fe', '169.254.169.254'],
  ['0:0:0:0:0:ffff:a9fe:a9fe', '169.254.169.254'],
  ['0000:0000:0000:0000:0000:FFFF:A9FE:A9FE', '169.254.169.254'],
  ['fd00:ec2:0::254', 'fd00:ec2:0:0:0:0:0:254'],
  ['FD00:0EC2:0000:0000:0000:0000:0000:0254', 'fd00:ec2:0:0:0:0:0:254'],
  ['[fd00:ec2::254]', 'fd00:ec2:0:0:0:0:0:254'],
  ['METADATA.GOOGLE.INTERNAL.', 'metadata.google.internal'],
];

test('every spelling of a metadata address has the one canonical form, and counts as metadata', () => {
  for (const [spelling, canonical] of SPELLINGS) {
    assert.equal(canonicalHost(spelling), canonical, spelling);
    assert.ok(isMetadataHost(spelling), spelling);
  }
});

test('IPv6 forms that embed a link-local IPv4 address (compatible, NAT64) are metadata too; ordinary hosts are not', () => {
  for (const host of ['::a9fe:a9fe', '64:ff9b::169.254.169.254', '169.254.1.1', '0xa9fe0101', '100.100.100.200', 'metadata.goog.']) assert.ok(isMetadataHost(host), host);
  for (const host of ['127.0.0.1', '::1', '::', '::ffff:127.0.0.1', '127.0.0.7', 'localhost', 'example.invalid', '169.255.0.1', 'fd00:ec2::255', '1.2.3.4.5', '169.254.169.254.example.invalid']) {
    assert.ok(!isMetadataHost(host), host);
  }
});

test('IPv4 parsing follows inet_aton and WHATWG URL: 1 to 4 parts, each decimal, 0x hex or 0 octal, the last one filling the rest', () => {
  assert.equal(parseIPv4('127.1'), 0x7f000001);
  assert.equal(parseIPv4('0'), 0);
  assert.equal(parseIPv4('4294967295'), 0xffffffff);
  for (const bad of ['4294967296', '256.1.1.1', '1.2.3.256', '08', '1.2.3.4.5', 'a.b', '', '1..2']) assert.equal(parseIPv4(bad), null, bad);
  // The forms new URL() itself rewrites agree with this parser.
  for (const [spelling] of SPELLINGS.filter(([s]) => !s.includes(':'))) assert.equal(canonicalHost(new URL(`http://${spelling}/`).hostname), canonicalHost(spelling), spelling);
});

test('allow-lists match case-insensitively and in canonical form', () => {
  assert.ok(allowListNames(['Staging.Example.Invalid'], 'staging.example.invalid'));
  assert.ok(allowListNames(['STAGING.example.invalid.'], 'staging.example.invalid'));
  assert.ok(allowListNames(['169.254.169.254'], '::ffff:a9fe:a9fe'), 'the mapped form is the IPv4 address it maps');
  assert.ok(allowListNames(['[FD00:EC2::254]'], 'fd00:ec2:0::254'));
  assert.ok(!allowListNames(['staging.example.invalid'], 'example.invalid'));
  assert.ok(!allowListNames(undefined, 'example.invalid'));
  assert.ok(!allowListNames([], 'example.invalid'));
});
