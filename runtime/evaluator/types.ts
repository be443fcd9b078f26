/** Requests, decisions and the quota interface shared by the evaluators, the store and the server. */

export interface AuthMeta {
  meta: string;
  complete: boolean;
}

/** SPEC §6. Fields may be missing or malformed: a rule that cannot decide does not approve. */
export interface KssRequest {
  request_type: string;
  device_id?: string;
  cryptographic_id?: string;
  profile?: { profile_id?: string; profile_words?: string[] };
  auth_meta?: AuthMeta[];
  [key: string]: unknown;
}

export interface RuleTrace {
  ruleId: string;
  kind: string;
  approved: boolean;
  /** Why, in words (e.g. "no pattern matched `a/b.txt`", "day count 3 reached per_day 3"). */
  reason: string;
}

export interface RuleSetTrace {
  ruleSet: number;
  approved: boolean;
  rules: RuleTrace[];
}

export interface Decision {
  approved: boolean;
  /** 0-based index of the deciding rule set; null for a default or a denial. */
  rule_set: number | null;
  /** Rule ids of the approving rule set (empty otherwise). */
  rule_ids: string[];
  trace?: RuleSetTrace[];
}

/** The moment and the server's zone. Nothing deep inside reads the clock. */
export interface EvalContext {
  /** Milliseconds since the epoch. */
  now: number;
  /** IANA name (`Europe/Berlin`), `UTC`, or a fixed offset (`+04:00`). */
  tz: string;
}

/** One throttle of an approving candidate rule set. */
export interface ThrottleUse {
  ruleId: string;
  profileId: string;
  perHour: number | null;
  perDay: number | null;
  persistent: boolean;
}

/** The current calendar hour and day in the server's zone; counts start again when they change. */
export interface QuotaWindow {
  /** e.g. `2022-03-15T14` */
  hour: string;
  /** e.g. `2022-03-15` */
  day: string;
}

/** One counter: the counts of a (rule id, profile) in the window it was last used in. */
export interface QuotaCount {
  ruleId: string;
  profileId: string;
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
