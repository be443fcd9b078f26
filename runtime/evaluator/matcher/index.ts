/**
 * Every translated pattern's matcher (SPEC §4.1, last paragraph): linear time for every program
 * that needs no backtracking (irregexp where that is provable, engineFor; the automaton, linear.ts,
 * otherwise), the budgeted backtracker (backtrack.ts) for the rest. Programs are compiled on first use, so loading a policy with many
 * patterns costs nothing until a request reaches them.
 *
 * A match that cannot be decided throws `MatchUndecided`; semantics.ts turns it into a rule that
 * does not approve and tells the listeners (the server logs and counts it).
 */
import { JsSourceError, parseJsSource, type ParsedSource } from '../../../compiler/grammars/automaton/parse.js';
import { backtracksBoundedly } from '../../../compiler/grammars/automaton/bounded.js';
import { compileParsed, ProgramTooLarge, type Program } from '../../../compiler/grammars/automaton/program.js';
import { BacktrackMatcher, BudgetExceeded } from './backtrack.js';
import { LinearMatcher } from './linear.js';

export interface Matcher {
  /** Whether the pattern matches anywhere in `subject`; throws MatchUndecided. */
  test(subject: string): boolean;
}

export type UndecidedReason = 'step-budget' | 'too-large';

export class MatchUndecided extends Error {
  constructor(
    readonly reason: UndecidedReason,
    /** The pattern as written (never the subject: a meta stays out of logs). */
    readonly pattern: string,
    readonly subjectLength: number,
  ) {
    super(`pattern \`${pattern}\` could not be decided (${reason}) on a ${subjectLength}-character meta`);
  }
}

type Listener = (e: MatchUndecided) => void;
const listeners = new Set<Listener>();

/** Calls `listener` for every undecided match in this process; returns the unsubscribe. */
export function onMatchUndecided(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function reportUndecided(e: MatchUndecided): void {
  for (const l of listeners) {
    try {
      l(e);
    } catch {
      // A listener's failure must not change a decision.
    }
  }
}

/**
 * The engine a program runs on: irregexp where its backtracking is provably bounded (bounded.ts:
 * no unbounded repetition, few paths), where its compiled code is the fastest; the automaton for the
 * rest of the programs without back-references or wide look-arounds; the budgeted backtracker last.
 */
export function engineFor(prog: Program, jsSource: string): Matcher {
  if (backtracksBoundedly(prog)) return new RegExp(jsSource, 'u');
  return prog.needs === null ? new LinearMatcher(prog) : new BacktrackMatcher(prog);
}

/**
 * A matcher for translated source (`jsFlags` is always `u`), named `pattern` in reports. The
 * source is read now, so that a broken one fails the load (JsSourceError), and compiled on first
 * use. With `parts`, the source is their alternation: when that is too large for one automaton,
 * each part is tried on its own.
 */
export function compileMatcher(jsSource: string, jsFlags: string, pattern: string, parts?: () => readonly Matcher[]): Matcher {
  if (jsFlags.replace(/[gy]/g, '') !== 'u') throw new JsSourceError(`unexpected flags \`${jsFlags}\` on /${jsSource.slice(0, 200)}/`);
  const parsed = parseJsSource(jsSource);
  // The first test compiles the program and puts the engine's own test in its place: decisions then
  // pay no more than that engine's call.
  const matcher: Matcher = {
    test(subject: string): boolean {
      matcher.test = engineTest(parsed, jsSource, pattern, parts);
      return matcher.test(subject);
    },
  };
  return matcher;
}

function engineTest(parsed: ParsedSource, jsSource: string, pattern: string, parts?: () => readonly Matcher[]): (subject: string) => boolean {
  let prog: Program;
  try {
    prog = compileParsed(parsed);
  } catch (e) {
    if (!(e instanceof ProgramTooLarge)) throw e;
    if (!parts) {
      return (subject) => {
        throw new MatchUndecided('too-large', pattern, subject.length);
      };
    }
    const each = parts();
    return (subject) => each.some((p) => p.test(subject));
  }
  const engine = engineFor(prog, jsSource);
  if (!(engine instanceof BacktrackMatcher)) return (subject) => engine.test(subject);
  return (subject) => {
    try {
      return engine.test(subject);
    } catch (e) {
      if (e instanceof BudgetExceeded) throw new MatchUndecided('step-budget', pattern, subject.length);
      throw e;
    }
  };
}
