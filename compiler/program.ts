/**
 * The decision program the compiler hands the runtime (the optimiser's plan, carried in the compiled
 * artifact): the one module of the compiler the runtime's fast engine reads, so that the optimiser's
 * internals (compiler/optimize/) can change without reaching into the runtime.
 */
export type {
  PredicatePlan as ProgramPredicate,
  ProgramPlan as DecisionProgramPlan,
  RuleSetPlan as ProgramRuleSet,
  ThrottlePlan as ProgramThrottle,
  TypePlan as ProgramType,
} from './optimize/plan.js';
export { INDEX_WORDS as PROFILE_INDEX_WORDS, PLAN_VERSION } from './optimize/plan.js';
