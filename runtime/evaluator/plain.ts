/**
 * The plain interpreter of the IR: rule sets in order, rules in order, the first rule that does not
 * approve ends its rule set (SPEC §2). Short on purpose: it is the reference point the optimised
 * program is tested against, and the engine that explains decisions (traces).
 */
import type { PolicyIR, RuleIR, RuleSetIR } from '../../compiler/ir/types.js';
import { DEFAULT_APPROVED } from '../../compiler/ir/types.js';
import { formatOffset, formatTimeOfDay } from '../time/index.js';
import type { Candidate, CandidateCursor, Start, ThrottleSpec } from './decide.js';
import { throttleSpec } from './decide.js';
import { DecisionInput } from './input.js';
import { metaApproves, preparePattern, profileApproves, timeApproves } from './semantics.js';
import type { PreparedPattern } from './semantics.js';
import type { DenialCode } from './reasons.js';
import type { EvalContext, KssRequest, RuleSetTrace } from './types.js';

export class PlainEngine {
  private readonly types = new Map<string, RuleSetIR[]>();
  private readonly patterns = new WeakMap<RuleIR, PreparedPattern[]>();
  private readonly hexSets = new WeakMap<RuleIR, Set<string>>();

  constructor(ir: PolicyIR) {
    for (const t of ir.requestTypes) {
      this.types.set(t.type, t.ruleSets);
      // Read every pattern now: a bad one must fail the load, not a decision.
      for (const set of t.ruleSets) for (const rule of set.rules) if (rule.kind === 'meta-rule') this.prepared(rule);
    }
  }

  start(req: KssRequest, ctx: EvalContext, trace: boolean): Start {
    const type = typeof req === 'object' && req !== null ? req.request_type : undefined;
    const ruleSets = typeof type === 'string' ? this.types.get(type) : undefined;
    if (ruleSets === undefined) {
      const approved = typeof type === 'string' && (DEFAULT_APPROVED as readonly string[]).includes(type) && !this.types.has(type);
      return { decided: { approved, rule_set: null, rule_ids: [], ...(trace ? { trace: [] } : {}) } };
    }
    return { cursor: new PlainCursor(this, ruleSets, new DecisionInput(req, ctx), trace ? [] : null) };
  }

  /** One stateless rule: [approved, reason, code when it does not]. Throttles only need a profile id here; their quota comes later. */
  check(rule: RuleIR, input: DecisionInput): [boolean, string, DenialCode?] {
    switch (rule.kind) {
      case 'approve-rule':
      case 'session-params-rule':
        return [true, 'always approves'];
      case 'reject-rule':
        return [false, 'never approves', 'reject-rule'];
      case 'profile-id-rule': {
        const ok = profileApproves(rule, this.hexSet(rule), input.profileId(), input.profileWords());
        return ok ? [true, 'the profile is listed'] : [false, `the profile \`${input.profileId() ?? '(none)'}\` is not listed`, 'profile-not-listed'];
      }
      case 'time-range-rule': {
        const m = input.moment();
        const ok = timeApproves(rule, m);
        const reason = `${ok ? 'inside' : 'outside'} ${describeWindow(rule)} (now ${m.date}, weekday ${m.weekday}, ${formatTimeOfDay(m.usOfDay)} server time)`;
        return ok ? [true, reason] : [false, reason, 'outside-hours'];
      }
      case 'meta-rule': {
        const metas = input.authMeta();
        if (metas === null) return [false, 'auth_meta is missing, empty or malformed: cannot decide', 'meta-undecidable'];
        const ok = metaApproves(rule, this.prepared(rule), metas);
        return ok ? [true, 'every meta is allowed'] : [false, `not every meta of ${metas.map((m) => `\`${m.meta}\``).join(', ')} is allowed`, 'path-not-matched'];
      }
      case 'per-profile-throttle-rule':
        return input.profileId() === null ? [false, 'the request has no profile id: cannot count', 'no-profile-id'] : [true, 'quota checked below'];
    }
  }

  private prepared(rule: Extract<RuleIR, { kind: 'meta-rule' }>): PreparedPattern[] {
    let p = this.patterns.get(rule);
    if (!p) this.patterns.set(rule, (p = rule.patterns.map(preparePattern)));
    return p;
  }

  private hexSet(rule: Extract<RuleIR, { kind: 'profile-id-rule' }>): Set<string> {
    let s = this.hexSets.get(rule);
    if (!s) this.hexSets.set(rule, (s = new Set(rule.hexIds)));
    return s;
  }
}

class PlainCursor implements CandidateCursor {
  private position = 0;

  constructor(
    private readonly engine: PlainEngine,
    private readonly ruleSets: RuleSetIR[],
    readonly input: DecisionInput,
    readonly trace: RuleSetTrace[] | null,
  ) {}

  next(): Candidate | null {
    while (this.position < this.ruleSets.length) {
      const set = this.ruleSets[this.position++]!;
      const traced: RuleSetTrace = { ruleSet: set.index, approved: false, rules: [] };
      let ok = true;
      for (const rule of set.rules) {
        const [approved, reason, code] = this.engine.check(rule, this.input);
        if (rule.kind !== 'per-profile-throttle-rule' || !approved) {
          traced.rules.push({ ruleId: rule.ruleId, kind: rule.kind, approved, reason, ...(code ? { code } : {}) });
        }
        if (!approved) {
          ok = false;
          break;
        }
      }
      this.trace?.push(traced);
      if (!ok) continue;
      traced.approved = true;
      const throttles: ThrottleSpec[] = [];
      for (const r of set.rules) {
        if (r.kind === 'per-profile-throttle-rule') throttles.push(throttleSpec(r));
      }
      return { ruleSet: set.index, ruleIds: set.rules.map((r) => r.ruleId), throttles };
    }
    return null;
  }
}

type TimeRule = Extract<RuleIR, { kind: 'time-range-rule' }>;

function describeWindow(rule: TimeRule): string {
  const parts: string[] = [];
  if (rule.days.length < 7) parts.push(`weekdays [${rule.days.join(', ')}]`);
  if (rule.include.length > 0) parts.push(`or on ${rule.include.join(', ')}`);
  if (rule.exclude.length > 0) parts.push(`never on ${rule.exclude.join(', ')}`);
  const at = (t: NonNullable<TimeRule['start']>) =>
    `${formatTimeOfDay(Math.round(t.seconds * 1e6))}${t.offsetSeconds === null ? '' : ` UTC${formatOffset(t.offsetSeconds)}`}`;
  if (rule.start && rule.end) parts.push(`from ${at(rule.start)} to ${at(rule.end)}`);
  return parts.length > 0 ? `the window (${parts.join(', ')})` : 'the window (any time)';
}
