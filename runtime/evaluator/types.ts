/** Requests, decisions and what a decision is taken in, shared by the evaluators, the tools and the server. */
import type { Instant, Zone } from '../time/index.js';
import type { DenialCode } from './reasons.js';

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
  /** Why it did not approve, as a stable code (reasons.ts); only on a rule that did not. */
  code?: DenialCode;
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

/** The moment and the server's zone. Nothing deep inside reads the clock or parses a zone. */
export interface EvalContext {
  /** When the request arrived, exact to the microsecond (runtime/time). */
  at: Instant;
  /** The server's zone, as runtime/time read it from its setting. */
  zone: Zone;
}

export type { AsyncQuotaStore, QuotaStore, QuotaWindow, ThrottleUse } from '../quota/types.js';
