/**
 * The reading limits of compiler/source/limits.ts, each hit by a policy (SPEC-free: issue 10, bounded
 * work for hostile policies), with the diagnostic that says which limit and where; and the policies
 * just inside each limit still read.
 */
import { describe, expect, it } from 'vitest';
import { analyzePolicy } from '../../compiler/analyze.js';
import { LIMITS } from '../../compiler/source/limits.js';
import { parsePolicy } from '../../compiler/source/parse.js';
import { aliasBomb, withPaths } from '../support/hostile.js';


function only(text: string) {
  const { ast, diagnostics } = parsePolicy(text, 'p.yml');
  expect(ast).toBeNull();
  expect(diagnostics).toHaveLength(1);
  const [d] = diagnostics;
  return { code: d!.code, message: d!.message, line: d!.range.start.line, column: d!.range.start.column };
}

/** `levels` flow lists inside each other, around one scalar. */
const nested = (levels: number, inner = 'x') => `${'['.repeat(levels)}${inner}${']'.repeat(levels)}`;

describe('reading limits', () => {
  it('nesting: a collection deeper than the limit, as written', () => {
    const inside = LIMITS.nesting - 4;
    expect(parsePolicy(withPaths(nested(inside)), 'p.yml').diagnostics).toEqual([]);
    expect(only(withPaths(nested(inside + 1)))).toEqual({ code: 'KSS1012', message: 'the document is nested more than 64 levels deep here', line: 3, column: 12 + inside });
  });

  it('nesting: through aliases, each written part within the limit', () => {
    const half = `a: &a ${nested(40)}\n`;
    expect(only(withPaths(nested(30, '*a'), half))).toMatchObject({ code: 'KSS1012', message: 'the document is nested more than 64 levels deep here', line: 1 });
  });

  it('nesting: a hostile file of 200,000 brackets stops at the limit', () => {
    expect(only(withPaths(nested(200_000)))).toMatchObject({ code: 'KSS1012', line: 3 });
  });

  it('merge depth: a merge whose source merges, and so on', () => {
    const chain = (n: number) => [
      'm0: &m0 {paths: [/a]}',
      ...Array.from({ length: n }, (_, i) => `m${i + 1}: &m${i + 1} {<<: *m${i}}`),
      'decrypt:',
      `- - {rule: meta-rule, <<: *m${n}}`,
    ].join('\n');
    const ok = analyzePolicy(chain(LIMITS.mergeDepth - 1), 'p.yml').diagnostics.filter((d) => d.code === 'KSS1012');
    expect(ok).toEqual([]);
    expect(only(chain(LIMITS.mergeDepth + 5))).toMatchObject({ code: 'KSS1012', message: 'merge keys (`<<`) nest more than 16 deep here' });
  });

  it('merge depth: 200 chained merges of two sources each (exponential to expand) stop at once', () => {
    const lines = ['m0: &m0 {rule: approve-rule}', 'm1: &m1 {<<: *m0}'];
    for (let i = 2; i <= 200; i++) lines.push(`m${i}: &m${i} {<<: [*m${i - 1}, *m${i - 2}]}`);
    lines.push('decrypt:', '- - <<: *m200');
    expect(only(lines.join('\n'))).toMatchObject({ code: 'KSS1012', message: 'merge keys (`<<`) nest more than 16 deep here' });
  });

  it('nodes: more values written than the limit, counted before the yaml package composes them', () => {
    const values = Array.from({ length: LIMITS.nodes }, () => 'a').join(',');
    expect(only(withPaths(`[${values}]`))).toMatchObject({ code: 'KSS1012', message: 'the policy has more than 500,000 values (aliases and merges expanded); reading stopped here', line: 3 });
  });

  it('nodes: written and expanded values together over the limit, each within its own', () => {
    // 270,000 written values, and 240 aliases of a list of 1,000: 240,000 expanded (below 250,000).
    const written = `- - {rule: meta-rule, paths: [${Array.from({ length: 270_000 }, () => 'a').join(',')}]}`;
    const anchor = `- - {rule: meta-rule, paths: &list [${Array.from({ length: 1000 }, () => 'b').join(',')}]}`;
    const aliases = Array.from({ length: 240 }, () => '- - {rule: meta-rule, paths: *list}');
    expect(only(['decrypt:', written, anchor, ...aliases].join('\n'))).toMatchObject({ code: 'KSS1012', message: 'the policy has more than 500,000 values (aliases and merges expanded); reading stopped here' });
  });

  it('alias expansion: a 451-byte "billion laughs" stops at the limit', () => {
    const bomb = aliasBomb();
    expect(bomb.length).toBeLessThan(520);
    expect(only(bomb)).toMatchObject({ code: 'KSS1010', message: 'aliases and merges expand to more than 250,000 values; reading stopped here' });
    // Real reuse, an anchor shared by thousands of rules, stays far below it.
    const shared = ['decrypt:', '- - &office {rule: time-range-rule, time_start: "9:00", time_end: "17:00"}'];
    for (let i = 0; i < 5000; i++) shared.push(`- - {<<: *office, days: [${i % 5}]}`);
    expect(parsePolicy(shared.join('\n'), 'p.yml').diagnostics).toEqual([]);
  });

  it('duplicate keys are found without comparing every key with every other (50,000 keys)', () => {
    const keys = Array.from({ length: 50_000 }, (_, i) => `    k${i}: 1`);
    const { diagnostics } = parsePolicy(`decrypt:\n- - rule: approve-rule\n${keys.join('\n')}\n    k7: 2\n`, 'p.yml');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'KSS1002', message: 'duplicate key `k7`: the first is on line 10' })]);
    expect(diagnostics[0]!.range.start.line).toBe(50_003);
  });
});
