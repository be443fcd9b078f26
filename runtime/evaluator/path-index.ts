/**
 * All literal path patterns of a request type matched in one pass over the path (issue 3). The
 * patterns compiler/optimize/literal-path.ts qualifies are each a string that must sit at a
 * particular place in the subject (the `/`-prefixed, possibly lower-cased meta, SPEC §4.1); that
 * place is always made of whole path components, so the subject is split once at its slashes and
 * every candidate place is one hash lookup:
 * - root `/P` (`^P/|^P$`): the prefixes ending before a `/` or at the end;
 * - base name `P` (`(\/|^)P$`): the last component;
 * - `a/b` (`\/P/|\/P$`): runs of components that start at a `/` and end before a `/` or at the end;
 * - `a/` and `*`-patterns whose rest is `/…/` (`\/P\/`): runs with a `/` on both sides.
 * Other `*`-start patterns are plain substring tests. A meta ending in `\n` is searched without it:
 * Python's `$` also matches before a final line break, and no literal pattern contains one.
 * One index per case-sensitivity: a case-insensitive subject that is not ASCII is left to the
 * RegExps (`matches` gives null), since there a folded class such as `[Ssſ]` can meet a non-ASCII
 * character that a string comparison would not.
 */
import type { LiteralPath } from '../../compiler/optimize/literal-path.js';

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;
/** Subjects remembered: a decision has one per meta entry, and the answer depends on nothing else. */
const MEMO = 4;
/** Key lengths are noted up to this; longer candidates are always looked up. */
const LONG = 255;

/** Texts to slots, and which key lengths occur (a candidate of another length needs no slice and no hash). */
class Keys {
  readonly map = new Map<string, number>();
  readonly lengths = new Uint8Array(LONG + 1);
  slashes = -1;

  get(t: string, from: number, to: number): number | undefined {
    return this.lengths[Math.min(to - from, LONG)] === 1 ? this.map.get(t.slice(from, to)) : undefined;
  }
}

export class PathIndex {
  private readonly root = new Keys();
  private readonly base = new Keys();
  private readonly runs = new Keys();
  private readonly dirs = new Keys();
  private readonly substrings: Array<{ text: string; slot: number }> = [];
  private slots = 0;
  // A ring of the last subjects and their hits (a Map would hash every new subject string).
  private readonly memoSubjects: Array<string | null> = new Array<string | null>(MEMO).fill(null);
  private readonly memoHits: Array<number[] | null> = new Array<number[] | null>(MEMO).fill(null);
  private memoNext = 0;
  /** Positions of the slashes of the subject being matched, then its length. */
  private readonly bounds: number[] = [];

  constructor(readonly caseSensitive: boolean) {}

  /** The slot of a literal pattern (the same test and text give the same slot). */
  add(lit: LiteralPath): number {
    if (lit.caseSensitive !== this.caseSensitive) throw new Error('path index: case-sensitivity mismatch');
    const { text } = lit;
    this.memoSubjects.fill(null);
    switch (lit.test) {
      case 'root':
        return this.slotIn(this.root, text);
      case 'base':
        return this.slotIn(this.base, text);
      case 'component':
        return this.slotIn(this.runs, text);
      case 'anywhere': {
        if (text.length >= 2 && text.startsWith('/') && text.endsWith('/')) return this.slotIn(this.dirs, text);
        const known = this.substrings.find((s) => s.text === text);
        if (known) return known.slot;
        const slot = this.slots++;
        this.substrings.push({ text, slot });
        return slot;
      }
    }
  }

  /**
   * The slots of the patterns that match `subject` (duplicates possible), or null when undecidable here.
   * The array is the index's own and is reused: read it before asking about other subjects.
   */
  matches(subject: string): number[] | null {
    for (let i = 0; i < MEMO; i++) if (this.memoSubjects[i] === subject) return this.memoHits[i] ?? null;
    const at = this.memoNext;
    const hits = this.compute(subject, this.memoHits[at] ?? []);
    this.memoSubjects[at] = subject;
    this.memoHits[at] = hits;
    this.memoNext = (this.memoNext + 1) % MEMO;
    return hits;
  }

  /** `hits` is an array this index no longer hands out (the ring slot being reused). */
  private compute(subject: string, hits: number[]): number[] | null {
    if (!this.caseSensitive && !ASCII.test(subject)) return null;
    hits.length = 0;
    const t = subject.charCodeAt(subject.length - 1) === 10 ? subject.slice(0, -1) : subject;
    const b = this.bounds;
    b.length = 0;
    for (let i = t.indexOf('/'); i >= 0; i = t.indexOf('/', i + 1)) b.push(i);
    b.push(t.length);
    const last = b.length - 1;
    const { root, base, runs, dirs } = this;
    let slot: number | undefined;
    // A prefix ending at b[k] holds k slashes.
    for (let k = 0; k <= last && k <= root.slashes; k++) if ((slot = root.get(t, 0, b[k]!)) !== undefined) hits.push(slot);
    if (base.slashes >= 0 && (slot = base.get(t, last > 0 ? b[last - 1]! + 1 : 0, t.length)) !== undefined) hits.push(slot);
    // A run from the slash b[i] to b[j] holds j - i slashes (plus the closing one for directories).
    for (let i = 0; i < last && (runs.slashes >= 0 || dirs.slashes >= 0); i++) {
      for (let j = i + 2; j <= last && j - i <= runs.slashes; j++) if ((slot = runs.get(t, b[i]!, b[j]!)) !== undefined) hits.push(slot);
      for (let j = i + 1; j < last && j - i + 1 <= dirs.slashes; j++) if ((slot = dirs.get(t, b[i]!, b[j]! + 1)) !== undefined) hits.push(slot);
    }
    for (const s of this.substrings) if (subject.includes(s.text)) hits.push(s.slot);
    return hits;
  }

  private slotIn(keys: Keys, text: string): number {
    let slot = keys.map.get(text);
    if (slot === undefined) {
      slot = this.slots++;
      keys.map.set(text, slot);
      keys.lengths[Math.min(text.length, LONG)] = 1;
      // The most slashes in a key: longer candidate places cannot be keys.
      keys.slashes = Math.max(keys.slashes, count(text));
    }
    return slot;
  }
}

function count(text: string): number {
  let n = 0;
  for (let i = text.indexOf('/'); i >= 0; i = text.indexOf('/', i + 1)) n++;
  return n;
}
