/**
 * The meaning of each stateless rule (SPEC §4), written once and used by both engines. The plain
 * interpreter calls these directly on IR rules; the optimised program calls them on prepared rules.
 */
import { pythonLower } from '../../compiler/grammars/python-lower.js';
import type { MetaPatternIR, RuleIR, TimeOfDayIR } from '../../compiler/ir/types.js';
import type { LocalMoment } from '../time/zone.js';
import type { AuthMeta } from './types.js';

type MetaRuleIR = Extract<RuleIR, { kind: 'meta-rule' }>;
type ProfileRuleIR = Extract<RuleIR, { kind: 'profile-id-rule' }>;
type TimeRuleIR = Extract<RuleIR, { kind: 'time-range-rule' }>;

export interface PreparedPattern {
  inverted: boolean;
  /** What a match of an inverted pattern does: a path denies the entry; a regex only clears the mark (see walkPatterns). */
  kind: 'path' | 'regex';
  /** The translated RegExp, or anything that decides the same (see literal-match.ts). */
  regex: { test(subject: string): boolean };
}

/** RegExps are built once per pattern; `g`/`y` would make `test` stateful, so they are never used. */
export function preparePattern(p: MetaPatternIR): PreparedPattern {
  return { inverted: p.inverted, kind: p.kind, regex: new RegExp(p.jsSource, p.jsFlags.replace(/[gy]/g, '')) };
}

/** Python's str.lower(); ASCII text (the common case) takes JavaScript's fast path with the same result. */
export function lowerMeta(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s) ? s.toLowerCase() : pythonLower(s);
}

/** The string a meta's patterns are matched against (SPEC §4.1). */
export function metaSubject(entry: AuthMeta, caseSensitive: boolean): string {
  const text = caseSensitive ? entry.meta : lowerMeta(entry.meta);
  return entry.complete ? `/${text}` : text;
}

/**
 * The walk of SPEC §4.1 for one entry. One deviation from the SPEC's words, taken from the
 * reference's decisions (conformance case UTC-11-013, step 26: regexes `!^x$`, `!tax(es|i)` then an
 * inverted path, meta `sub/café/Sub/taxi`, approved): a matching inverted *regex* does not end the
 * walk with a denial, it clears the mark (`marked = not matched`) and the walk goes on, so a later
 * pattern can still approve the entry. Inverted *paths* deny as the SPEC says (its `!/taxi` example).
 */
export function walkPatterns(patterns: readonly PreparedPattern[], subject: string): boolean {
  let marked = false;
  for (const p of patterns) {
    const hit = p.regex.test(subject);
    if (!p.inverted) {
      if (hit) return true;
    } else if (!hit) {
      marked = true;
    } else if (p.kind === 'path') {
      return false;
    } else {
      marked = false;
    }
  }
  return marked;
}

/** `metas` is null when the request cannot be decided (see authMetaOf). */
export function metaApproves(
  rule: Pick<MetaRuleIR, 'caseSensitive' | 'requireComplete'>,
  patterns: readonly PreparedPattern[],
  metas: AuthMeta[] | null,
): boolean {
  if (metas === null) return false;
  for (const entry of metas) {
    if (rule.requireComplete && !entry.complete) return false;
    if (!walkPatterns(patterns, metaSubject(entry, rule.caseSensitive))) return false;
  }
  return true;
}

export function profileApproves(
  rule: Pick<ProfileRuleIR, 'wordLists'>,
  hexIds: ReadonlySet<string>,
  profileId: string | null,
  words: string[] | null,
): boolean {
  if (profileId !== null && hexIds.has(profileId)) return true;
  if (words === null) return false;
  return rule.wordLists.some((list) => wordsStartWith(words, list));
}

/** True when the first `list.length` words of `words` equal `list`. */
export function wordsStartWith(words: readonly string[], list: readonly string[]): boolean {
  if (words.length < list.length) return false;
  for (let i = 0; i < list.length; i++) if (words[i] !== list[i]) return false;
  return true;
}

/**
 * SPEC §4.3. Times compare as seconds since midnight minus the zone's UTC offset, with no wrap at
 * midnight, exactly like the reference's aware `datetime.time` comparison; a time without a zone is
 * in the server's zone, like "now".
 */
export function timeApproves(rule: Pick<TimeRuleIR, 'start' | 'end' | 'days' | 'include' | 'exclude'>, now: LocalMoment): boolean {
  if (rule.exclude.includes(now.date)) return false;
  if (!rule.include.includes(now.date) && !rule.days.includes(now.weekday)) return false;
  if (rule.start === null || rule.end === null) return true;
  const value = now.msOfDay / 1000 - now.offsetSeconds;
  return shifted(rule.start, now) <= value && value <= shifted(rule.end, now);
}

function shifted(t: TimeOfDayIR, now: LocalMoment): number {
  return t.seconds - (t.offsetSeconds ?? now.offsetSeconds);
}
