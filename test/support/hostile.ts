/** Hostile policies shared by the tests of the reading limits (compiler/source/limits.ts). */

/** A policy whose meta-rule's `paths` value is `value` (its mapping is 4 levels deep: the value is the 5th). */
export const withPaths = (value: string, before = '') => `${before}decrypt:\n- - rule: meta-rule\n    paths: ${value}\n`;

/** Nine lists of nine aliases of the list before, nine levels (about 450 bytes): 9^9 values when expanded. */
export function aliasBomb(): string {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 8; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]`);
  return withPaths('*a8', `${lines.join('\n')}\n`);
}
