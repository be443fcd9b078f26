/**
 * Bounded work for hostile policies (issue 10): the limits of reading a policy, as named constants,
 * each generous for real policies (bench/check.mjs's 60,000-line policy has 126,000 values, nesting
 * 6 deep) and each hit by a test (test/source/limits.test.ts). They are counted while the document
 * is read, before any work grows with them: written nesting and values on the yaml package's parser
 * as it goes (read-yaml.ts), then exactly while the AST is built with aliases and merges expanded.
 */
export const LIMITS = {
  /** Collections inside collections, as written or through aliases. */
  nesting: 64,
  /** A merge key (`<<`) whose source merges again, and so on. */
  mergeDepth: 16,
  /**
   * Values: those written (keys included, counted as the text is read) and those of the AST,
   * aliases and merges expanded. A 60,000-line policy has about 200,000 written and 160,000 in its AST.
   */
  nodes: 500_000,
  /** Of those, values that exist only by expanding an alias or a merge (a billion-laughs file). */
  aliasExpansion: 250_000,
} as const;

export type LimitName = keyof typeof LIMITS;

/** Thrown by the AST builder when a limit is reached; parsePolicy turns it into one diagnostic. */
export class LimitExceeded extends Error {
  constructor(readonly limit: LimitName, readonly offset: number) {
    super(`${limit} limit (${LIMITS[limit]}) exceeded at offset ${offset}`);
  }
}

export interface BudgetCounts {
  nodes: number;
  expanded: number;
}

/** Counts the values the AST builder makes. One per parse: nothing is kept between policies. */
export class Budget {
  private nodes = 0;
  private expanded = 0;

  counted(): BudgetCounts {
    return { nodes: this.nodes, expanded: this.expanded };
  }

  /** One more value at `offset`; `expanded` when it exists only through an alias or a merge. */
  count(offset: number, expanded: boolean): void {
    if (++this.nodes > LIMITS.nodes) throw new LimitExceeded('nodes', offset);
    if (expanded && ++this.expanded > LIMITS.aliasExpansion) throw new LimitExceeded('aliasExpansion', offset);
  }
}

export function checkNesting(depth: number, offset: number): void {
  if (depth > LIMITS.nesting) throw new LimitExceeded('nesting', offset);
}

export function checkMergeDepth(depth: number, offset: number): void {
  if (depth > LIMITS.mergeDepth) throw new LimitExceeded('mergeDepth', offset);
}

/** What the diagnostic says for each limit. */
export function limitMessage(limit: LimitName): { message: string; help: string } {
  const n = LIMITS[limit].toLocaleString('en-US');
  switch (limit) {
    case 'nesting':
      return { message: `the document is nested more than ${n} levels deep here`, help: 'a policy needs about 6 levels (request type, rule sets, rules, arguments); look for a runaway bracket or a self-referencing alias' };
    case 'mergeDepth':
      return { message: `merge keys (\`<<\`) nest more than ${n} deep here`, help: 'a merge whose source merges another, and so on: merge fewer levels, or write the arguments out' };
    case 'nodes':
      return { message: `the policy has more than ${n} values (aliases and merges expanded); reading stopped here`, help: 'a policy of 60,000 lines has about 200,000; split the file, or check that it is a policy' };
    case 'aliasExpansion':
      return { message: `aliases and merges expand to more than ${n} values; reading stopped here`, help: 'aliases that repeat aliases grow exponentially (a "billion laughs" document); write the shared parts fewer times' };
  }
}
