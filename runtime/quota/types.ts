/** The quota's data, shared by the evaluators, the in-memory counter, the stores and the server. */

/** One throttle of an approving candidate rule set. */
export interface ThrottleUse {
  ruleId: string;
  profileId: string;
  /** Null: no limit (SPEC 4.4: a missing limit, or -1, which decide.ts turns into null with limitOf). */
  perHour: number | null;
  perDay: number | null;
  persistent: boolean;
  /**
   * Where the in-memory counter may remember this throttle's counter (memory.ts): the program's
   * ThrottleSpec, which every decision of its rule set reads anyway. Other stores ignore it.
   */
  hint?: CounterHint;
}

/**
 * The counter a MemoryQuota last used for a throttle, and which state of which MemoryQuota it
 * belongs to (`hintStore` is that store's token, replaced whenever a counter is removed). A hint is
 * only a shortcut: the store uses it when the token is its current one and the counter's key is the
 * use's, else it looks the counter up and sets the hint again.
 */
export interface CounterHint {
  hintStore: object | null;
  hintCounter: QuotaCount | null;
}

/**
 * The current hour and day bucket in the server's zone (runtime/time, SPEC 4.6); counts start again
 * when they change.
 */
export interface QuotaWindow {
  /** The real hour, named by its local hour and offset: `2022-03-15T14+01:00`. */
  hour: string;
  /**
   * The same local hour as kss named it before SPEC 4.6 (`2022-03-15T14`): a counter stored under
   * that name by an older kss still counts in this hour (see rule.ts `sameHour`).
   */
  legacyHour: string;
  /** The local date: `2022-03-15`. */
  day: string;
}

/** Which counter: a (rule id, profile) pair. */
export interface QuotaKey {
  ruleId: string;
  profileId: string;
}

/** One counter: the counts of a (rule id, profile) in the window it was last used in. */
export interface QuotaCount extends QuotaKey {
  hour: string;
  hourCount: number;
  day: string;
  dayCount: number;
}

/** Which counters to list or clear; no field means all. */
export interface QuotaFilter {
  /** Only this profile (hex, lower-case). */
  profileId?: string;
  /** Only this rule id. */
  ruleId?: string;
}

/**
 * Quota state. `tryConsume` is one atomic step: if every throttle is below its limits in the
 * window, record one use of each and return true; otherwise record nothing and return false.
 */
export interface QuotaStore {
  tryConsume(uses: ThrottleUse[], window: QuotaWindow): boolean;
}

export interface AsyncQuotaStore {
  tryConsume(uses: ThrottleUse[], window: QuotaWindow): Promise<boolean>;
}

/** What a running server's in-memory counters changed since it last mirrored them to the store. */
export interface MemoryQuotaChanges {
  /** Forget every mirrored counter of the instance first (a mirror that may have missed changes). */
  replace: boolean;
  upserts: QuotaCount[];
  removals: QuotaKey[];
}

/** A mirrored in-memory counter, with the server instance that holds it. */
export interface MemoryQuotaRow extends QuotaCount {
  instanceId: string;
}
