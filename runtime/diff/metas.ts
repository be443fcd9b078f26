/**
 * The auth_meta side of a diff: every way the meta-rules of two policies can judge a request's
 * auth_meta, each with a concrete auth_meta that is judged so.
 *
 * One entry: a breadth-first walk over meta strings, one character at a time, where two strings
 * whose subjects leave every pattern's automaton (the runtime's linear matcher) in the same state,
 * and agree on every pattern's match, are one node: so when the walk ends, every combination of
 * pattern matches any meta can reach has been seen, with its shortest meta. Characters are taken
 * one per class that the patterns tell apart. A request's auth_meta approves a meta-rule when all
 * its entries do, so the request-level classes are the AND-closure of the entry classes.
 * Control characters are left out: the server refuses a meta that has one (SPEC 6).
 */
import { compileSource, type Program } from '../../compiler/grammars/automaton/program.js';
import type { RuleIR } from '../../compiler/ir/types.js';
import { LinearMatcher } from '../evaluator/matcher/linear.js';
import { metaApproves, metaSubject, preparePattern, type PreparedPattern } from '../evaluator/semantics.js';
import type { AuthMeta } from '../evaluator/types.js';

export type MetaRule = Extract<RuleIR, { kind: 'meta-rule' }>;

export interface MetaClass {
  /** null: a request without a usable auth_meta (every meta-rule denies it). */
  entries: AuthMeta[] | null;
  /** Whether each meta-rule (in `MetaSpace.rules` order) approves it. */
  approves: boolean[];
}

export interface MetaSpace {
  rules: MetaRule[];
  classes: MetaClass[];
  /** Why the classes may miss a way of judging a meta (empty when the walk was exact). */
  inexact: string[];
}

/** Bounds on the walk and the closure; reaching one makes the analysis inexact, and says so. */
export const MAX_META_NODES = 20_000;
/** Automaton steps at most (states × running patterns × characters): bounds the time on very large policies. */
export const MAX_META_STEPS = 4_000_000;
export const MAX_META_LENGTH = 256;
export const MAX_META_CLASSES = 2_000;
/** Rule answers combined at most while closing under AND (classes × entry classes × rules). */
export const MAX_CLOSURE_WORK = 20_000_000;
const MAX_NON_ASCII = 24;
const PRINTABLE = Array.from({ length: 0x5f }, (_, i) => String.fromCharCode(0x20 + i));
const ASCII_ORDER = [...PRINTABLE.filter((c) => /[a-z0-9]/.test(c)), ...PRINTABLE.filter((c) => /[-_.]/.test(c)), ...PRINTABLE.filter((c) => !/[a-z0-9._-]/.test(c))];

interface Lane {
  rx: RegExp;
  caseSensitive: boolean;
  automaton: LinearMatcher | null;
  program: Program | null;
}

interface Node {
  meta: string;
  complete: boolean;
  /** Lanes still running, with their automaton's state; finished lanes are in `matched` or gone (no match possible). */
  live: number[];
  states: number[];
  matched: number[];
  /** The case-sensitive and the lower-cased subject so far. */
  subjects: [string, string];
  key: string;
  /** The lanes that match the subject as it is. */
  hits: string;
}

export function metaSpace(rules: readonly MetaRule[]): MetaSpace {
  const inexact: string[] = [];
  const prepared = rules.map((r) => r.patterns.map(preparePattern));
  const lanes = lanesOf(rules, inexact);
  const alphabet = alphabetOf(lanes, inexact);
  const entries = walk(rules, prepared, lanes, alphabet, inexact);
  const classes = closure(rules, prepared, entries, inexact);
  return { rules: [...rules], classes, inexact };
}

function lanesOf(rules: readonly MetaRule[], inexact: string[]): Lane[] {
  const seen = new Map<string, Lane>();
  for (const r of rules) {
    for (const p of r.patterns) {
      const key = `${r.caseSensitive ? 1 : 0}${p.jsSource}`;
      if (seen.has(key)) continue;
      let program: Program | null = null;
      try {
        program = compileSource(p.jsSource);
      } catch {
        inexact.push(`pattern \`${p.source}\` is too large for an automaton`);
      }
      const linear = program !== null && program.needs === null;
      if (program !== null && !linear) inexact.push(`pattern \`${p.source}\` needs a ${program.needs} (not decidable as an automaton)`);
      seen.set(key, { rx: new RegExp(p.jsSource, 'u'), caseSensitive: r.caseSensitive, program, automaton: linear ? new LinearMatcher(program!) : null });
    }
  }
  return [...seen.values()];
}

/** One character per class of characters that every pattern treats alike (ASCII exactly). */
function alphabetOf(lanes: readonly Lane[], inexact: string[]): string[] {
  const sets = lanes.flatMap((l) => (l.program ? l.program.sets.map((s) => ({ s, ci: !l.caseSensitive })) : []));
  const byClass = new Map<string, string>();
  // Lower-case letters and digits first, so that witnesses read like ordinary paths.
  for (const ch of ASCII_ORDER) {
    const cp = ch.charCodeAt(0);
    const lower = ch.toLowerCase().charCodeAt(0);
    let key = cp === 47 ? '/' : '';
    for (const { s, ci } of sets) key += s.has(ci ? lower : cp) ? '1' : '0';
    if (!byClass.has(key)) byClass.set(key, ch);
  }
  const out = [...byClass.values()];
  const starts = new Set<number>();
  for (const { s } of sets) for (const [lo, hi] of s.ranges) for (const b of [lo, hi + 1]) if (b >= 0xa0 && b <= 0x10ffff) starts.add(b);
  const wide = [...starts].filter((b) => b < 0xd800 || b > 0xdfff).sort((a, b) => a - b);
  // Python's lower-casing of capital sigma depends on its neighbours, so no class is read from it.
  const usable = wide.filter((b) => b !== 0x3a3).map((b) => String.fromCodePoint(b));
  if (usable.length > MAX_NON_ASCII) inexact.push(`non-ASCII characters are sampled (${MAX_NON_ASCII} of ${usable.length} classes)`);
  return [...out, ...usable.slice(0, MAX_NON_ASCII)];
}

function walk(rules: readonly MetaRule[], prepared: PreparedPattern[][], lanes: Lane[], alphabet: string[], inexact: string[]): AuthMeta[] {
  const found = new Map<string, AuthMeta>();
  const judged = new Set<string>();
  const seen = new Set<string>();
  const resets = lanes.map((l) => l.automaton?.resets ?? 0);
  const queue: Node[] = [];
  const push = (n: Node) => {
    if (seen.has(n.key)) return;
    seen.add(n.key);
    queue.push(n);
  };
  const all = lanes.map((_, i) => i);
  for (const complete of [true, false]) {
    const root = { meta: '', complete, live: all, states: all.map(() => 0), matched: [], subjects: ['', ''] as [string, string], key: '', hits: '' };
    push(advance(lanes, root, root.meta, complete ? ['/', '/'] : ['', '']));
  }
  let head = 0;
  let steps = 0;
  for (; head < queue.length && seen.size < MAX_META_NODES && steps < MAX_META_STEPS; head++) {
    const n = queue[head]!;
    // The rules' answers depend only on which lanes match: judge each combination once.
    if (n.meta !== '' && !judged.has(`${n.complete}${n.hits}`)) {
      judged.add(`${n.complete}${n.hits}`);
      const entry = { meta: n.meta, complete: n.complete };
      const key = vectorKey(rules.map((r, i) => metaApproves(r, prepared[i]!, [entry])));
      if (!found.has(key)) found.set(key, entry);
    }
    if (n.meta.length >= MAX_META_LENGTH) continue;
    steps += n.live.length * alphabet.length;
    for (const ch of alphabet) {
      if (n.meta === '' && ch === '/') continue;
      const meta = n.meta + ch;
      const cs = metaSubject({ meta, complete: n.complete }, true);
      const ci = metaSubject({ meta, complete: n.complete }, false);
      push(advance(lanes, n, meta, [cs.slice(n.subjects[0].length), ci.slice(n.subjects[1].length)]));
    }
  }
  if (head < queue.length) inexact.push(`the walk over metas stopped after ${seen.size} states (${lanes.length} patterns)`);
  if (lanes.some((l, i) => (l.automaton?.resets ?? 0) !== resets[i])) inexact.push('an automaton outgrew its cache during the walk');
  return [...found.values()];
}

/** `n` after its subjects grew by `delta` (case-sensitive, lower-cased): every running lane steps. */
function advance(lanes: Lane[], n: Node, meta: string, delta: [string, string]): Node {
  const subjects: [string, string] = [n.subjects[0] + delta[0], n.subjects[1] + delta[1]];
  const live: number[] = [];
  const states: number[] = [];
  const matched = [...n.matched];
  let key = `${n.complete ? 'c' : 'i'}${meta === '' ? 'e' : 'm'}`;
  let hits = '';
  for (let k = 0; k < n.live.length; k++) {
    const i = n.live[k]!;
    const l = lanes[i]!;
    const subject = subjects[l.caseSensitive ? 0 : 1];
    // A lane without an automaton only contributes its match, so such a walk is not exhaustive.
    const state = l.automaton ? l.automaton.stateAfter(delta[l.caseSensitive ? 0 : 1], n.states[k]!) : 0;
    if (state === -2) matched.push(i);
    if (state < 0) continue;
    const hit = l.rx.test(subject);
    live.push(i);
    states.push(state);
    key += `${i}:${state}${hit ? '+' : '-'},`;
    if (hit) hits += `${i},`;
  }
  matched.sort((a, b) => a - b);
  key += `|${matched.join(',')}`;
  hits += `|${matched.join(',')}`;
  return { meta, complete: n.complete, live, states, matched, subjects, key, hits };
}

function vectorKey(v: readonly boolean[]): string {
  let s = '';
  for (const b of v) s += b ? '1' : '0';
  return s;
}

/** The request-level classes: no auth_meta, and the AND of every set of entry classes. */
function closure(rules: readonly MetaRule[], prepared: PreparedPattern[][], entries: AuthMeta[], inexact: string[]): MetaClass[] {
  const judge = (list: AuthMeta[] | null): MetaClass => ({ entries: list, approves: rules.map((r, i) => metaApproves(r, prepared[i]!, list)) });
  const classes: MetaClass[] = [judge(null)];
  const keys = new Set<string>([vectorKey(classes[0]!.approves)]);
  const singles = entries.map((e) => judge([e]));
  const add = (c: MetaClass) => {
    const key = vectorKey(c.approves);
    if (keys.has(key)) return false;
    keys.add(key);
    classes.push(c);
    return true;
  };
  for (const c of singles) add(c);
  // Pairwise ANDs until nothing new: the closure of a set under AND is every AND of its subsets.
  let work = 0;
  for (let i = 1; i < classes.length; i++) {
    for (const s of singles) {
      work += rules.length;
      if (classes.length >= MAX_META_CLASSES || work > MAX_CLOSURE_WORK) {
        inexact.push(`auth_meta lists of several entries are sampled (${classes.length} classes)`);
        return classes;
      }
      const merged = classes[i]!.approves.map((b, k) => b && s.approves[k]!);
      if (!keys.has(vectorKey(merged))) add(judge([...classes[i]!.entries!, ...s.entries!]));
    }
  }
  return classes;
}
