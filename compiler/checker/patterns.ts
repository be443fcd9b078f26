/**
 * Conservative subsumption between meta-rule patterns (SPEC §4.1): `covers(p, q)` is true only when
 * every meta that pattern q matches is certainly matched by the normal pattern p. Used to find
 * inverted patterns that can never take effect because an earlier normal pattern approves first.
 */

export interface WrittenPattern {
  kind: 'regex' | 'path';
  /** Without a leading `!`. */
  text: string;
  inverted: boolean;
}

/** Regexes that match every non-empty meta (an empty meta is denied before any pattern is tried). */
const MATCH_ALL_REGEXES = new Set(['', '.', '.*', '.+', '^', '.*?', '^.*', '.*$', '^.*$', '^.+', '^.+$']);

export function covers(p: WrittenPattern, q: WrittenPattern, caseSensitive: boolean): boolean {
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  const pText = fold(p.text);
  const qText = fold(q.text);
  if (p.kind === 'regex') return MATCH_ALL_REGEXES.has(p.text) || (q.kind === 'regex' && pText === qText);
  if (q.kind === 'regex') return false; // paths come after regexes: a path never precedes a regex
  if (/^\*+$/.test(pText)) return true;
  if (pText === qText) return true;
  if (pText.startsWith('/') && !pText.includes('*')) {
    const root = pText.replace(/\/+$/, '');
    if (!qText.startsWith('/')) return false;
    const qRoot = qText.replace(/\/+$/, '');
    const literalPrefix = qRoot.split('*')[0]!;
    return qRoot === root || literalPrefix.startsWith(`${root}/`);
  }
  if (pText.startsWith('*') && !pText.slice(1).includes('*')) {
    const needle = pText.slice(1);
    return literalPieces(qText).some((piece) => piece.includes(needle));
  }
  return false;
}

/** Literal runs that every meta matched by path pattern q contains (in its prefixed form). */
function literalPieces(q: string): string[] {
  let core = q.replace(/\/+$/, '');
  if (core.startsWith('*')) core = core.slice(1);
  else if (!core.startsWith('/') && core.includes('/')) core = `/${core}`;
  return core.split('*').filter((piece) => piece.length > 0);
}
