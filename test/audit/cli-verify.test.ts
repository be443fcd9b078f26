/** `kss keyserver audit --verify` through the real CLI: what it says it verified, and damaged files. */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kss } from '../server/cli-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'kss-audit-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

function keyserver(): string[] {
  const dir = join(root, `k${n++}`);
  expect(kss(['keyserver', 'create', '--data-dir', dir]).status).toBe(0);
  expect(kss(['keyserver', 'token', 'create', '--role', 'client', '--label', 'c', '--data-dir', dir]).status).toBe(0);
  return ['--data-dir', dir];
}

describe('audit --verify (CLI)', () => {
  it('admin commands sign what they append: verify says up to which entry and when', () => {
    const dd = keyserver();
    const r = kss(['keyserver', 'audit', '--verify', ...dd]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(kss(['keyserver', 'audit', '--verify', '--format', 'json', ...dd]).stdout);
    // create (one checkpoint) and token create (another) each signed the head they left.
    expect(json).toMatchObject({ problems: [], checkpoints: 2, headFile: true, signedUpTo: { seq: json.count }, unsigned: null });
    const c = json.count as number;
    expect(r.stdout).toMatch(new RegExp(`^audit chain ok: ${c} entries verified \\(numbered 1-${c} without gaps, canonical rows\\), 2 signed checkpoints\n`));
    expect(r.stdout).toMatch(new RegExp(`signed up to entry ${c} \\(at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\), by the checkpoint of \\d{4}-`));
  });

  it.each([
    ['a zero-length database', (file: string) => truncateSync(file, 0)],
    ['a database overwritten with garbage', (file: string) => writeFileSync(file, 'garbage '.repeat(1000))],
  ])('%s: the audit is broken, exit 1, no stack trace', (_name, damage) => {
    const dd = keyserver();
    damage(join(dd[1]!, 'kss.db'));
    const r = kss(['keyserver', 'audit', '--verify', ...dd]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the audit is broken: .*kss\.db` is damaged/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
