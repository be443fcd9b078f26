/** The console's source diff (runtime/diff/lines.ts): hunks that rebuild both sources, minimal, bounded. */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineDiff, type Hunk } from '../../runtime/diff/lines.js';

/** Applies the hunks to the old lines: must give the new ones (and the hunks must agree with old). */
function apply(oldText: string, hunks: Hunk[]): string {
  const a = oldText.split('\n');
  if (a.at(-1) === '') a.pop();
  const out: string[] = [];
  let i = 0;
  for (const h of hunks) {
    const from = h.old_lines === 0 ? h.old_start : h.old_start - 1;
    while (i < from) out.push(a[i++]!);
    for (const l of h.lines) {
      if (l.op === '+') out.push(l.text);
      else {
        expect(a[i]).toBe(l.text);
        if (l.op === ' ') out.push(l.text);
        i++;
      }
    }
    expect(out.length).toBe(h.new_lines === 0 ? h.new_start : h.new_start - 1 + h.new_lines);
  }
  while (i < a.length) out.push(a[i++]!);
  return out.map((l) => `${l}\n`).join('');
}

/** A small deterministic generator (no flaky seeds). */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('lineDiff', () => {
  it('rebuilds the new source from the old for random edits, with as few changed lines as diff(1) finds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kss-lines-'));
    try {
      for (let seed = 1; seed <= 60; seed++) {
        const r = random(seed);
        const words = ['a', 'b', 'c', 'd', 'e'];
        const a = Array.from({ length: Math.floor(r() * 30) }, () => words[Math.floor(r() * words.length)]!);
        const b = a.flatMap((l) => (r() < 0.2 ? [] : r() < 0.2 ? [l, words[Math.floor(r() * 5)]!] : r() < 0.1 ? ['x'] : [l]));
        const [oldText, newText] = [a, b].map((l) => l.map((x) => `${x}\n`).join(''));
        const hunks = lineDiff(oldText!, newText!)!;
        expect(apply(oldText!, hunks)).toBe(newText);
        writeFileSync(join(dir, 'a'), oldText!);
        writeFileSync(join(dir, 'b'), newText!);
        let expected = '';
        try {
          expected = execFileSync('diff', ['--minimal', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
        } catch (e) {
          expected = (e as { stdout: string }).stdout;
        }
        const edits = expected.split('\n').filter((l) => l.startsWith('< ') || l.startsWith('> ')).length;
        expect(hunks.flatMap((h) => h.lines).filter((l) => l.op !== ' ').length).toBe(edits);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives unified-diff hunks with three lines of context', () => {
    const old = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const next = old.replace('line 10\n', 'line ten\n').replace('line 20\n', '');
    expect(lineDiff(old, next)).toEqual([
      { old_start: 7, old_lines: 7, new_start: 7, new_lines: 7, lines: [...['7', '8', '9'].map((n) => ({ op: ' ', text: `line ${n}` })), { op: '-', text: 'line 10' }, { op: '+', text: 'line ten' }, ...['11', '12', '13'].map((n) => ({ op: ' ', text: `line ${n}` }))] },
      { old_start: 17, old_lines: 4, new_start: 17, new_lines: 3, lines: [...['17', '18', '19'].map((n) => ({ op: ' ', text: `line ${n}` })), { op: '-', text: 'line 20' }] },
    ]);
    expect(lineDiff(old, old)).toEqual([]);
    expect(lineDiff('', 'a\n')).toEqual([{ old_start: 0, old_lines: 0, new_start: 1, new_lines: 1, lines: [{ op: '+', text: 'a' }] }]);
  });

  it('answers null when the sources differ in more lines than the bound', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`).join('\n');
    const b = Array.from({ length: 50 }, (_, i) => `b${i}`).join('\n');
    expect(lineDiff(a, b, 99)).toBeNull();
    expect(lineDiff(a, b, 100)).not.toBeNull();
  });
});
