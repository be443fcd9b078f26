/**
 * Every translated pattern's matcher (SPEC §4.1, last paragraph): linear time for every program
 * that needs no backtracking (irregexp where that is provable, engineFor; the automaton, linear.ts,
 * otherwise), the budgeted backtracker (backtrack.ts) for the rest. Programs are compiled on first use, so loading a policy with many
 * patterns costs nothing until a request reaches them.
 *
 * A match that cannot be decided throws `MatchUndecided`; semantics.ts turns it into a rule that
 * does not approve and tells the listeners (the server logs and counts it).
 */
import { JsSourceError } from '../../../compiler/grammars/automaton/parse.js';
import { backtracksBoundedly } from '../../../compiler/grammars/automaton/bounded.js';
import { compileSource, ProgramTooLarge, type Program } from '../../../compiler/grammars/automaton/program.js';
import { BacktrackMatcher, BudgetExceeded } from './backtrack.js';
import { LinearMatcher } from './linear.js';

export interface Matcher {
  /** Whether the pattern matches anywhere in `subject`; throws MatchUndecided. */
  test(subject: string): boolean;
}

export type UndecidedReason = 'step-budget' | 'too-large' | 'unreadable';

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

/** > 0 while a decision is taken again only to explain it: its undecided matches were reported once already. */
let muted = 0;

/** Runs `fn` (synchronous) without telling the listeners: reasons.ts re-decides a denial to explain it. */
export function withoutReports<T>(fn: () => T): T {
  muted++;
  try {
    return fn();
  } finally {
    muted--;
  }
}

export function reportUndecided(e: MatchUndecided): void {
  if (muted > 0) return;
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
export function engineFor(prog: Program, rx: RegExp): Matcher {
  if (backtracksBoundedly(prog)) return rx;
  return prog.needs === null ? new LinearMatcher(prog) : new BacktrackMatcher(prog);
}

/**
 * A matcher for translated source (`jsFlags` is always `u`), named `pattern` in reports. The
 * source is checked now, by V8, so that a broken one fails the load as it always has (a SyntaxError;
 * cheap, V8 compiles lazily), and compiled to a program on first use: a big policy's unused patterns
 * cost no more than before. `onEngine` receives the engine once it is chosen, so that a holder can
 * call it directly from then on (preparePattern does). With `parts`, the source is their alternation:
 * when that is too large for one automaton, each part is tried on its own.
 */
export function compileMatcher(
  jsSource: string,
  jsFlags: string,
  pattern: string,
  opts: { parts?: () => readonly Matcher[]; onEngine?: (engine: Matcher) => void } = {},
): Matcher {
  if (jsFlags.replace(/[gy]/g, '') !== 'u') throw new JsSourceError(`unexpected flags \`${jsFlags}\` on /${jsSource.slice(0, 200)}/`);
  return new LazyMatcher(jsSource, new RegExp(jsSource, 'u'), pattern, opts);
}

/** A class, not a closure: a 10,000-rule-set policy holds tens of thousands of these, most never used. */
class LazyMatcher implements Matcher {
  private engine: Matcher | null = null;

  constructor(
    private readonly jsSource: string,
    private readonly rx: RegExp,
    private readonly pattern: string,
    private readonly opts: { parts?: () => readonly Matcher[]; onEngine?: (engine: Matcher) => void },
  ) {}

  test(subject: string): boolean {
    if (this.engine === null) {
      this.engine = chooseEngine(this.jsSource, this.rx, this.pattern, this.opts.parts);
      this.opts.onEngine?.(this.engine);
    }
    return this.engine.test(subject);
  }
}

function chooseEngine(jsSource: string, rx: RegExp, pattern: string, parts?: () => readonly Matcher[]): Matcher {
  const undecided = (reason: UndecidedReason): Matcher => ({
    test(subject: string): boolean {
      throw new MatchUndecided(reason, pattern, subject.length);
    },
  });
  let prog: Program;
  try {
    prog = compileSource(jsSource);
  } catch (e) {
    // Not what the translators write: only a hand-made artifact gets here.
    if (e instanceof JsSourceError) return undecided('unreadable');
    if (!(e instanceof ProgramTooLarge)) throw e;
    if (!parts) return undecided('too-large');
    const each = parts();
    return { test: (subject) => each.some((p) => p.test(subject)) };
  }
  const engine = engineFor(prog, rx);
  if (!(engine instanceof BacktrackMatcher)) return engine;
  return {
    test(subject: string): boolean {
      try {
        return engine.test(subject);
      } catch (e) {
        if (e instanceof BudgetExceeded) throw new MatchUndecided('step-budget', pattern, subject.length);
        throw e;
      }
    },
  };
}
