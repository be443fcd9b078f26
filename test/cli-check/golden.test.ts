/**
 * Golden files: `kss check` output (text and JSON) over test/cli-check/golden/, one real process per
 * format. After an intended change, update them with
 *     KSS_UPDATE_GOLDEN=1 npx vitest run test/cli-check/golden.test.ts
 * and review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, kss, removeCli } from './cli.js';

const dir = new URL('./golden/', import.meta.url).pathname;
const update = process.env.KSS_UPDATE_GOLDEN === '1';

beforeAll(buildCli, 60_000);
afterAll(removeCli);

describe('kss check golden output', () => {
  it.each([
    ['text', 'expected.txt'],
    ['json', 'expected.json'],
  ])('%s', (format, golden) => {
    const run = kss(['check', '.', '--format', format], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    const path = `${dir}${golden}`;
    if (update || !existsSync(path)) writeFileSync(path, run.stdout);
    expect(run.stdout).toBe(readFileSync(path, 'utf8'));
  });
});
