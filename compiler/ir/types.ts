/**
 * The IR: a normalised policy with rule ids assigned (SPEC §5) and arguments parsed.
 * It is plain JSON-serialisable data so that a compiled artifact can carry it and the runtime can
 * load it without the compiler (regexes are stored as JavaScript source + flags, already translated).
 */

export const REQUEST_TYPES = [
  'decrypt',
  'search',
  'create_profile',
  'create_location',
  'rename',
  'secure_export',
  'start_session',
  'change_profile',
] as const;

export type RequestType = (typeof REQUEST_TYPES)[number];

export interface PolicyIR {
  /** Request types in file order. A type absent here falls back to the SPEC §2.1 default. */
  requestTypes: RequestTypeIR[];
}

export interface RequestTypeIR {
  type: RequestType;
  ruleSets: RuleSetIR[];
}

export interface RuleSetIR {
  /** 0-based index in its request type's list (the `rule_set` of a decision). */
  index: number;
  rules: RuleIR[];
}

/** A time of day. `offsetSeconds` null means "in the server's zone" (also for ignored abbreviations). */
export interface TimeOfDayIR {
  /** Whole seconds since midnight, 0..86399. */
  seconds: number;
  /** The fraction of the second in microseconds, 1..999999 (`09:00:00.5`); absent when 0. */
  microseconds?: number;
  /** UTC offset of the written zone in seconds (`+04:00` → 14400), or null. */
  offsetSeconds: number | null;
}

/** A path pattern or regex, translated to a JavaScript RegExp with identical meaning. */
export interface MetaPatternIR {
  kind: 'regex' | 'path';
  /** As written, including a leading `!`. */
  source: string;
  inverted: boolean;
  /** JavaScript RegExp source, searched (not anchored unless the source anchors). */
  jsSource: string;
  /** JavaScript RegExp flags (`u`, plus `i` unless case-sensitive, plus `s`/`m` from inline flags). */
  jsFlags: string;
}

interface RuleBase {
  ruleId: string;
  /** True when `rule_id` was written in the policy. */
  explicitId: boolean;
}

export type RuleIR =
  | (RuleBase & { kind: 'approve-rule' })
  | (RuleBase & { kind: 'reject-rule' })
  | (RuleBase & {
      kind: 'session-params-rule';
      maxRequestCount: number | null;
      maxTimeSeconds: number;
      endByTime: TimeOfDayIR | null;
    })
  | (RuleBase & {
      kind: 'profile-id-rule';
      /** Lower-case hex ids. */
      hexIds: string[];
      /** Word lists of at least 4 words each. */
      wordLists: string[][];
    })
  | (RuleBase & {
      kind: 'time-range-rule';
      start: TimeOfDayIR | null;
      end: TimeOfDayIR | null;
      /** Weekdays, Monday = 0 .. Sunday = 6. */
      days: number[];
      /** Dates as `YYYY-MM-DD`. */
      include: string[];
      exclude: string[];
    })
  | (RuleBase & {
      kind: 'meta-rule';
      /** All regexes first, then all paths, in the order of SPEC §4.1. */
      patterns: MetaPatternIR[];
      caseSensitive: boolean;
      requireComplete: boolean;
    })
  | (RuleBase & {
      kind: 'per-profile-throttle-rule';
      perHour: number | null;
      perDay: number | null;
      persistent: boolean;
    });

export type RuleKind = RuleIR['kind'];

export const RULE_KINDS: readonly RuleKind[] = [
  'meta-rule',
  'profile-id-rule',
  'time-range-rule',
  'per-profile-throttle-rule',
  'approve-rule',
  'reject-rule',
  'session-params-rule',
];

/** SPEC §3: rules a request type may not use. */
export const INCOMPATIBLE_RULES: Partial<Record<RequestType, readonly RuleKind[]>> = {
  create_profile: ['profile-id-rule', 'per-profile-throttle-rule', 'meta-rule'],
  create_location: ['meta-rule'],
  search: ['meta-rule'],
};

/** SPEC §2.1: request types approved when the policy has no entry for them. */
export const DEFAULT_APPROVED: readonly RequestType[] = ['create_profile', 'create_location'];
