/**
 * The meaning of each stateless rule (SPEC §4), written once and used by both engines. The plain
 * interpreter calls these directly on IR rules; the optimised program calls them on prepared rules.
 */
import { pythonLower } from '../../compiler/grammars/python-lower.js';
import { comparableMicros } from '../../compiler/ir/time-of-day.js';
import type { MetaPatternIR, RuleIR } from '../../compiler/ir/types.js';
import type { LocalMoment } from '../time/index.js';
import { compileMatcher, MatchUndecided, reportUndecided, type Matcher } from './matcher/index.js';
import type { AuthMeta } from './types.js';

type MetaRuleIR = Extract<RuleIR, { kind: 'meta-rule' }>;
type ProfileRuleIR = Extract<RuleIR, { kind: 'profile-id-rule' }>;
type TimeRuleIR = Extract<RuleIR, { kind: 'time-range-rule' }>;

export interface PreparedPattern {
  inverted: boolean;
  kind: 'path' | 'regex';
  /**
   * Decides what the translated RegExp would, in linear time where the pattern allows (matcher/),
   * or anything that decides the same (see meta-program.ts). May throw MatchUndecided.
   */
  regex: Matcher;
}

export function preparePattern(p: MetaPatternIR): PreparedPattern {
  return prepareAlternation(p);
}

/** `p` as the alternation of `parts`, tried one by one when it is too large for one automaton (matcher/). */
export function prepareAlternation(p: MetaPatternIR, parts?: () => readonly Matcher[]): PreparedPattern {
  const prepared: PreparedPattern = { inverted: p.inverted, kind: p.kind, regex: UNPREPARED };
  // Once the engine is chosen the walk calls it directly (irregexp's test, for most patterns).
  prepared.regex = compileMatcher(p.jsSource, p.jsFlags, p.source, { parts, onEngine: (engine) => (prepared.regex = engine) });
  return prepared;
}

const UNPREPARED: Matcher = { test: () => false };

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
 * SPEC §4.1's walk for one entry, over all regexes then all paths, exactly as the reference's loop
 * runs it (policy_basics `meta_str.py`, `approve_request`): a normal pattern that matches approves and
 * stops; an inverted pattern that does not match marks the entry approved; an inverted pattern that
 * matches stops the walk *without clearing the mark*. So it denies only when no earlier inverted
 * pattern has marked the entry. SPEC's words ("denies the entry and stops the walk") hold for the
 * first inverted pattern; conformance case UTC-11-013 (step 26: regexes `!^x$`, `!tax(es|i)` approve
 * `sub/café/Sub/taxi`) shows the rest.
 */
export function walkPatterns(patterns: readonly PreparedPattern[], subject: string): boolean {
  let marked = false;
  for (let i = 0; i < patterns.length; i++) {
    const p = patterns[i]!;
    const hit = p.regex.test(subject);
    if (!p.inverted) {
      if (hit) return true;
    } else {
      if (hit) return marked;
      marked = true;
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
  return metaEntriesApprove(rule, metas, (subject) => walkPatterns(patterns, subject));
}

/**
 * The entries' part of SPEC §4.1; `walk` decides one entry's subject (the fast engine reads its path
 * index). `subjects`, when given, are the entries' metaSubject (computed once per decision).
 */
export function metaEntriesApprove(
  rule: Pick<MetaRuleIR, 'caseSensitive' | 'requireComplete'>,
  metas: AuthMeta[] | null,
  walk: (subject: string) => boolean,
  subjects?: readonly string[],
): boolean {
  if (metas === null) return false;
  try {
    for (let i = 0; i < metas.length; i++) {
      const entry = metas[i]!;
      if (rule.requireComplete && !entry.complete) return false;
      if (!walk(subjects !== undefined ? subjects[i]! : metaSubject(entry, rule.caseSensitive))) return false;
    }
    return true;
  } catch (e) {
    // A match past its step budget cannot decide, so the rule does not approve (SPEC §2.5, §4.1).
    if (!(e instanceof MatchUndecided)) throw e;
    reportUndecided(e);
    return false;
  }
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
 * SPEC §4.3, §4.6. Times compare as seconds since midnight minus the zone's UTC offset, with no wrap
 * at midnight, exactly like the reference's aware `datetime.time` comparison; a time without a zone
 * is in the server's zone at the moment of the request, like "now". In whole microseconds, so the
 * comparison is exact (`17:00:00.000001` is after `17:00`).
 */
export function timeApproves(rule: Pick<TimeRuleIR, 'start' | 'end' | 'days' | 'include' | 'exclude'>, now: LocalMoment): boolean {
  if (rule.exclude.includes(now.date)) return false;
  if (!rule.include.includes(now.date) && !rule.days.includes(now.weekday)) return false;
  if (rule.start === null || rule.end === null) return true;
  const value = now.usOfDay - now.offsetSeconds * 1_000_000;
  return comparableMicros(rule.start, now.offsetSeconds) <= value && value <= comparableMicros(rule.end, now.offsetSeconds);
}
