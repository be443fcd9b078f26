/** Every check, in the order they run: shape (KSS1xxx), semantics (KSS2xxx), lints (KSS3xxx). */
import type { Check } from '../registry.js';
import { unknownRequestType } from './unknown-request-type.js';
import { missingRuleKind } from './missing-rule-kind.js';
import { unknownRuleKind } from './unknown-rule-kind.js';
import { unknownArgument } from './unknown-argument.js';
import { argumentType } from './argument-type.js';
import { missingArgument } from './missing-argument.js';
import { incompatibleRule } from './incompatible-rule.js';
import { invalidTime } from './invalid-time.js';
import { incompleteTimeRange } from './incomplete-time-range.js';
import { timeRangeOrder } from './time-range-order.js';
import { oneSidedZoneAbbreviation } from './one-sided-zone-abbreviation.js';
import { serverZoneAbbreviation } from './server-zone-abbreviation.js';
import { invalidDate } from './invalid-date.js';
import { dateIncludedAndExcluded } from './date-included-and-excluded.js';
import { invalidProfileId } from './invalid-profile-id.js';
import { invalidPathPattern } from './invalid-path-pattern.js';
import { invalidRegex } from './invalid-regex.js';
import { superLinearPattern } from './super-linear-pattern.js';
import { patternUnderStepBudget } from './pattern-under-step-budget.js';
import { metaRuleWithoutPatterns } from './meta-rule-without-patterns.js';
import { duplicateRuleId } from './duplicate-rule-id.js';
import { invalidRuleId } from './invalid-rule-id.js';
import { aliasedRule } from './aliased-rule.js';
import { unreachableRuleSet } from './unreachable-rule-set.js';
import { ruleSetNeverApproves } from './rule-set-never-approves.js';
import { shadowedInvertedPattern } from './shadowed-inverted-pattern.js';
import { patternAfterInverted } from './pattern-after-inverted.js';
import { regexAnchoredWithoutSlash } from './regex-anchored-without-slash.js';
import { emptyRuleSet } from './empty-rule-set.js';
import { sessionParamsOutsideStartSession } from './session-params-outside-start-session.js';
import { throttleWithoutRuleId } from './throttle-without-rule-id.js';
import { yaml11Reading } from './yaml-1-1-reading.js';
import { ignoredTimeZone } from './ignored-time-zone.js';
import { ignoredStorageArgument } from './ignored-storage-argument.js';
import { zoneDependentTimeOrder } from './zone-dependent-time-order.js';

export const CHECKS: readonly Check[] = [
  unknownRequestType,
  missingRuleKind,
  unknownRuleKind,
  unknownArgument,
  argumentType,
  missingArgument,
  incompatibleRule,
  invalidTime,
  incompleteTimeRange,
  timeRangeOrder,
  oneSidedZoneAbbreviation,
  serverZoneAbbreviation,
  invalidDate,
  dateIncludedAndExcluded,
  invalidProfileId,
  invalidPathPattern,
  invalidRegex,
  superLinearPattern,
  metaRuleWithoutPatterns,
  duplicateRuleId,
  invalidRuleId,
  aliasedRule,
  unreachableRuleSet,
  ruleSetNeverApproves,
  shadowedInvertedPattern,
  patternAfterInverted,
  regexAnchoredWithoutSlash,
  emptyRuleSet,
  sessionParamsOutsideStartSession,
  throttleWithoutRuleId,
  yaml11Reading,
  ignoredTimeZone,
  patternUnderStepBudget,
  ignoredStorageArgument,
  zoneDependentTimeOrder,
];
