/** Every regex, path pattern, time and date in the conformance cases must translate without error. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseDate } from '../../compiler/grammars/date.js';
import { translatePathPattern } from '../../compiler/grammars/path-pattern.js';
import { translatePythonRegex } from '../../compiler/grammars/python-regex.js';
import { parseTimeOfDay } from '../../compiler/grammars/time.js';

const dir = fileURLToPath(new URL('../../../shared/conformance/cases/', import.meta.url));

function collect(): { regexes: Set<string>; paths: Set<string>; times: Set<string>; dates: Set<string>; caseSensitive: Set<string> } {
  const out = { regexes: new Set<string>(), paths: new Set<string>(), times: new Set<string>(), dates: new Set<string>(), caseSensitive: new Set<string>() };
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(walk);
    if (!x || typeof x !== 'object') return;
    for (const [k, v] of Object.entries(x)) {
      if (k === 'paths') (v as string[]).forEach((s) => out.paths.add(s));
      else if (k === 'regexes') (v as string[]).forEach((s) => out.regexes.add(s));
      else if (k === 'time_start' || k === 'time_end' || k === 'end_by_time') out.times.add(String(v));
      else if (k === 'include' || k === 'exclude') (v as string[]).forEach((s) => out.dates.add(String(s)));
      else walk(v);
    }
  };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const c = JSON.parse(readFileSync(dir + file, 'utf8')) as { policy_yaml: string };
    walk(YAML.parse(c.policy_yaml));
  }
  return out;
}

describe('the conformance cases', () => {
  const found = collect();

  it('hold fragments of every kind', () => {
    expect(found.regexes.size).toBeGreaterThan(5);
    expect(found.paths.size).toBeGreaterThan(50);
    expect(found.times.size).toBeGreaterThan(50);
    expect(found.dates.size).toBeGreaterThan(5);
  });

  it('translate every regex and path pattern, both case-sensitive and not', () => {
    const bad: string[] = [];
    for (const cs of [true, false]) {
      for (const r of found.regexes) if (translatePythonRegex(r, cs).errors.length) bad.push(`regex ${r}`);
      for (const p of found.paths) if (translatePathPattern(p, cs).errors.length) bad.push(`path ${p}`);
    }
    expect(bad).toEqual([]);
  });

  it('parse every time and date', () => {
    const bad = [...found.times].filter((t) => parseTimeOfDay(t).errors.length > 0);
    bad.push(...[...found.dates].filter((d) => parseDate(d).errors.length > 0));
    expect(bad).toEqual([]);
  });
});
