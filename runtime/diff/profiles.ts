/**
 * The profile side of a diff. A profile-id-rule asks whether the id is one of its hex ids or the
 * words start with one of its word lists; so a profile is judged by the one id of both policies it
 * equals (or none) and by the longest listed word list its words start with (or none): the lists a
 * profile's words start with are all prefixes of its words, hence of that longest one. Every pair
 * (id, words) is one class, so the classes are exact.
 */
import type { RuleIR } from '../../compiler/ir/types.js';
import { profileApproves } from '../evaluator/semantics.js';

export type ProfileRule = Extract<RuleIR, { kind: 'profile-id-rule' }>;

export interface ProfileClass {
  profileId: string;
  words: string[];
  /** What a user reads: `profile id 00ab…`, `profile words starting "a b c d"`; all the ids and lists judged alike. */
  descriptions: string[];
  /** The rules (indexes) that approve it. */
  approves: ReadonlySet<number>;
}

export interface ProfileSpace {
  classes: ProfileClass[];
  inexact: string[];
}

/** Beyond this many (id, words) pairs only ids and word lists alone are tried (and the analysis says so). */
export const MAX_PROFILE_PAIRS = 50_000;

export function profileSpace(rules: readonly ProfileRule[]): ProfileSpace {
  const ids = [...new Set(rules.flatMap((r) => r.hexIds))];
  const lists = uniqueLists(rules.flatMap((r) => r.wordLists));
  const otherId = unusedHexId(new Set(ids));
  const otherWords = unusedWords(lists);
  const inexact: string[] = [];
  const idChoices: (string | null)[] = [null, ...ids];
  const listChoices: (string[] | null)[] = [null, ...lists];
  const pairs: [string | null, string[] | null][] = [];
  if (idChoices.length * listChoices.length <= MAX_PROFILE_PAIRS) {
    for (const id of idChoices) for (const list of listChoices) pairs.push([id, list]);
  } else {
    inexact.push(`${ids.length} profile ids × ${lists.length} word lists: profiles with both a listed id and listed words are not analysed`);
    for (const id of idChoices) pairs.push([id, null]);
    for (const list of lists) pairs.push([null, list]);
  }
  const judge = candidatesOf(rules);
  const seen = new Map<string, ProfileClass>();
  const classes: ProfileClass[] = [];
  for (const [id, list] of pairs) {
    const profileId = id ?? otherId;
    const words = list ?? otherWords;
    const approves = judge(profileId, words);
    const key = [...approves].join(',');
    const known = seen.get(key);
    // An id or a list alone is named with the class it falls in; a pair only when it makes a class.
    if (known) {
      if (id === null || list === null) known.descriptions.push(describe(id, list));
      continue;
    }
    const c: ProfileClass = { profileId, words, approves, descriptions: [describe(id, list)] };
    seen.set(key, c);
    classes.push(c);
  }
  return { classes, inexact };
}

/**
 * The rules that approve a profile, sorted. A rule can only approve through one of its ids or
 * lists, so the rules are looked up by those and then asked (semantics.ts decides): a policy with
 * 10,000 profile rules does not ask each of them about each profile.
 */
function candidatesOf(rules: readonly ProfileRule[]): (profileId: string, words: string[]) => Set<number> {
  const byKey = new Map<string, number[]>();
  const index = (key: string, r: number) => {
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  };
  rules.forEach((rule, r) => {
    for (const id of rule.hexIds) index(`id:${id}`, r);
    for (const list of rule.wordLists) index(`words:${JSON.stringify(list)}`, r);
  });
  const hexSets = rules.map((r) => new Set(r.hexIds));
  return (profileId, words) => {
    const candidates = [...(byKey.get(`id:${profileId}`) ?? [])];
    for (let n = 1; n <= words.length; n++) candidates.push(...(byKey.get(`words:${JSON.stringify(words.slice(0, n))}`) ?? []));
    const approving = [...new Set(candidates)].filter((r) => profileApproves(rules[r]!, hexSets[r]!, profileId, words));
    return new Set(approving.sort((a, b) => a - b));
  };
}

function describe(id: string | null, list: string[] | null): string {
  const parts: string[] = [];
  if (id !== null) parts.push(`profile id \`${id}\``);
  if (list !== null) parts.push(`profile words starting \`${list.join(' ')}\``);
  return parts.length > 0 ? parts.join(' with ') : 'any other profile';
}

function uniqueLists(lists: string[][]): string[][] {
  const seen = new Map<string, string[]>();
  for (const l of lists) seen.set(JSON.stringify(l), l);
  return [...seen.values()];
}

function unusedHexId(ids: Set<string>): string {
  for (let n = 0; ; n++) {
    const id = `${'f'.repeat(24)}${n.toString(16).padStart(8, '0')}`;
    if (!ids.has(id)) return id;
  }
}

/** Four words that start no listed word list (no list's first word is `zz…`). */
function unusedWords(lists: string[][]): string[] {
  const firsts = new Set(lists.map((l) => l[0]));
  let w = 'zz';
  while (firsts.has(w)) w += 'z';
  return [w, 'unlisted', 'profile', 'words'];
}
