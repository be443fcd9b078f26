/** Random edits that turn a policy into half-typed or garbage text, for the robustness properties. */
import fc from 'fast-check';

const PIECES = ['-', '- ', ':', ': ', '\n', '  ', '    ', '#', '&a', '*a', '<<: ', '[', ']', '{', '}', ',', "'", '"', 'rule', 'rule: ', 'meta-rule',
  'per_day', '17:00', 'yes', '\t', '|', '>', '!', '%', '@', '`', '? ', '---\n', '...\n', '\r\n', '\u00e9', '\ud83d\ude00', '\u0000', '\\'];

export type Edit = { at: number; remove: number; insert: string };

export const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  remove: fc.nat({ max: 12 }),
  insert: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 }), fc.array(fc.constantFrom(...PIECES), { maxLength: 4 }).map((a) => a.join(''))),
});

export function applyEdit(text: string, e: Edit): string {
  const at = text.length === 0 ? 0 : e.at % (text.length + 1);
  return text.slice(0, at) + e.insert + text.slice(at + e.remove);
}

/** Positions to query: the start, the end and a few in between, as (line, character) pairs. */
export function positions(text: string, picks: number[]): Array<{ line: number; character: number }> {
  const lines = text.split('\n');
  return picks.map((p) => {
    const line = p % lines.length;
    return { line, character: (p * 7) % ((lines[line]?.length ?? 0) + 2) };
  });
}
