/**
 * The law of runtime/evaluator/matcher: on every translated pattern, the linear automaton and the
 * budgeted backtracker decide exactly what the translated JavaScript RegExp (irregexp, which the
 * differential tests hold to Python's `re`) decides. Random Python patterns (regex-gen.ts) over the
 * tricky alphabet, case-insensitive or not, subjects as given and lower-cased as the runtime
 * lower-cases them; path patterns; hand-picked anchors, `\b`, classes and counted repetition.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../compiler/grammars/automaton/program.js';
import { pythonLower } from '../../compiler/grammars/python-lower.js';
import { translatePathPattern } from '../../compiler/grammars/path-pattern.js';
import { translatePythonRegex } from '../../compiler/grammars/python-regex.js';
import { BacktrackMatcher } from '../../runtime/evaluator/matcher/backtrack.js';
import { LinearMatcher } from '../../runtime/evaluator/matcher/linear.js';
import { flagPrefix, pattern, subject, TRICKY } from '../grammars/regex-gen.js';
import { HAND_PICKED, HAND_SUBJECTS } from '../grammars/regex-cases.js';

const SEED = Number(process.env.KSS_FUZZ_SEED ?? 7411);
const RUNS = Number(process.env.KSS_FUZZ_RUNS ?? 3000);

/** Disagreements of both engines with the RegExp on `subjects` (none when the translation failed). */
function disagreements(jsSource: string | undefined, subjects: readonly string[]): string[] {
  if (jsSource === undefined) return [];
  const rx = new RegExp(jsSource, 'u');
  const prog = compileSource(jsSource);
  const engines: Array<[string, { test(s: string): boolean }]> = [['backtrack', new BacktrackMatcher(prog, 10_000_000)]];
  if (prog.needs === null) engines.push(['linear', new LinearMatcher(prog)]);
  const out: string[] = [];
  for (const s of subjects) {
    const want = rx.test(s);
    for (const [name, m] of engines) if (m.test(s) !== want) out.push(`${name} says ${!want} on ${JSON.stringify(s)} for /${jsSource.slice(0, 200)}/`);
  }
  return out;
}

const withLowered = (subjects: readonly string[]) => [...subjects, ...subjects.map(pythonLower)];

describe('linear and backtracking matchers agree with the translated RegExp', () => {
  it('on hand-picked regexes, both case modes', () => {
    const subjects = withLowered([...HAND_SUBJECTS, ...HAND_SUBJECTS.map((s) => `/${s}`), ...HAND_SUBJECTS.map((s) => `${s}\n`)]);
    const failures = HAND_PICKED.flatMap((p) => [true, false].flatMap((cs) => disagreements(translatePythonRegex(p, cs).value?.jsSource, subjects)));
    expect(failures).toEqual([]);
  });

  it('on random regexes and subjects', () => {
    const arb = fc.tuple(flagPrefix, pattern, fc.boolean(), fc.array(subject, { minLength: 1, maxLength: 6 }));
    const failures: string[] = [];
    fc.assert(
      fc.property(arb, ([flags, p, cs, subjects]) => {
        const found = disagreements(translatePythonRegex(flags + p, cs).value?.jsSource, withLowered(subjects));
        failures.push(...found.map((f) => `${JSON.stringify(flags + p)} cs=${cs}: ${f}`));
        return found.length === 0;
      }),
      { numRuns: RUNS, seed: SEED },
    );
    expect(failures).toEqual([]);
  });

  it('on random path patterns and metas', () => {
    const piece = fc.constantFrom('*', '/', 'a', 'b', 'A', 'ß', 'ſ', 'K', '.', '-', '\n', 'é', '𐐀');
    const pathPattern = fc.array(piece, { minLength: 1, maxLength: 6 }).map((xs) => xs.join(''));
    const meta = fc.array(fc.constantFrom(...TRICKY, '/', '/', 'a', 'b'), { maxLength: 8 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(pathPattern, fc.boolean(), fc.array(meta, { minLength: 1, maxLength: 5 }), (p, cs, metas) => {
        const subjects = withLowered([...metas, ...metas.map((m) => `/${m}`)]);
        expect(disagreements(translatePathPattern(p, cs).value?.jsSource, subjects)).toEqual([]);
      }),
      { numRuns: Math.ceil(RUNS / 3), seed: SEED },
    );
  });

  it('on anchors, word boundaries, classes and counted repetition over longer subjects', () => {
    const patterns = [
      '^a$', 'a$', '\\Aa\\Z', '(?m)^a$', '(?m)a$', '\\ba', 'a\\b', '\\B', '\\b\\w+\\b', '[a-z]{2,4}$', 'a{3}', 'a{0,3}b', '(?:ab){2,}',
      '(a|ab|abc){2,5}$', '(?i)\\bσ', '(?i)[ß-ſ]+', '(?s)a.{2}b', '\\d{2}\\D', '(?a)\\w+\\b', '\\s$', '^$', '$\\n', '(?m)$\\n^',
    ];
    const long = fc.array(fc.constantFrom('a', 'b', 'c', 'A', ' ', '\n', 'σ', 'ς', 'ß', 'ſ', '٣', '1', '/'), { maxLength: 24 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(fc.constantFrom(...patterns), fc.boolean(), fc.array(long, { minLength: 1, maxLength: 8 }), (p, cs, subjects) => {
        expect(disagreements(translatePythonRegex(p, cs).value!.jsSource, withLowered(subjects))).toEqual([]);
      }),
      { numRuns: 600, seed: SEED },
    );
  });
});

describe('path patterns', () => {
  it('compile to at most three instructions per character, as matching.ts assumes without compiling', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('*', '/', 'a', 'ß', '𐐀', '.'), { minLength: 1, maxLength: 40 }), fc.boolean(), (pieces, cs) => {
        const p = pieces.join('');
        const prog = compileSource(translatePathPattern(p, cs).value!.jsSource);
        expect(prog.op.length).toBeLessThanOrEqual(3 * p.length + 50);
        expect(prog.needs).toBeNull();
      }),
      { numRuns: 300, seed: SEED },
    );
  });
});
