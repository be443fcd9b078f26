/** The language server shows the rule sets a coverage file (from `kss test --coverage-file`) marks as untested. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folder, kss } from '../cli-eval/cli.js';
import { removeServerBundle, TestClient } from './client.js';
import type { LspDiagnostic } from './client.js';

const POLICY = `decrypt:
- - rule: meta-rule
    paths: [/finance]
- - rule: reject-rule
search:
- - rule: approve-rule
`;
const TESTS = `policy: policies/p.yml
cases:
  - {at: 2022-03-15T10:00:00Z, request: {request_type: decrypt, auth_meta: [{meta: finance/x, complete: true}]}, expect: {approved: true, rule_set: 0}}
  - {at: 2022-03-15T10:00:00Z, request: {request_type: decrypt, auth_meta: [{meta: hr/x, complete: true}]}, expect: {approved: false}}
`;

let client: TestClient;
let uri: string;

beforeAll(async () => {
  // The coverage file sits in the project root, the policy one folder below: the server walks up.
  const dir = folder({ 't.test.yml': TESTS });
  mkdirSync(join(dir, 'policies'));
  writeFileSync(join(dir, 'policies', 'p.yml'), POLICY);
  const run = kss(['test', 't.test.yml', '--coverage-file', 'kss-coverage.json'], undefined, dir);
  expect(run.status).toBe(0);
  expect(JSON.parse(readFileSync(join(dir, 'kss-coverage.json'), 'utf8')).policies[0].policy).toBe('policies/p.yml');
  uri = pathToFileURL(join(dir, 'policies', 'p.yml')).href;
  client = await TestClient.start();
  await client.open(uri, POLICY);
});
afterAll(async () => {
  await client.stop();
  removeServerBundle();
});

const coverage = (d: LspDiagnostic[]) => d.filter((x) => x.code === 'coverage');

describe('coverage in the editor', () => {
  it('marks each rule set no case reached or saw approve, as information, at its first rule', async () => {
    const published = coverage(await client.diagnosticsFor(uri, (d) => coverage(d).length > 0));
    expect(published.map((d) => [d.range.start.line, d.severity, d.message])).toEqual([
      [3, 3, 'no test case is approved by rule set 1 of `decrypt`'],
      [5, 3, 'no test case reaches rule set 0 of `search`'],
    ]);
  });

  it('says when the file changed since the coverage was taken', async () => {
    const edited = `${POLICY}# a comment\n`;
    client.forget(uri);
    await client.change(uri, 2, edited);
    const published = coverage(await client.diagnosticsFor(uri, (d) => coverage(d).length > 0));
    expect(published[0]!.message).toContain('was written for another version of this file; run `kss test --coverage-file` again');
  });

  it('a policy no coverage file names gets no coverage diagnostics', async () => {
    const other = pathToFileURL(join(folder({ 'q.yml': POLICY }), 'q.yml')).href;
    await client.open(other, POLICY);
    expect(coverage(await client.diagnosticsFor(other))).toEqual([]);
  });
});
