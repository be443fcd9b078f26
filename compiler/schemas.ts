/**
 * The JSON Schemas of schemas/, loaded once, and the documentation text derived from them. The
 * checker, the language server's completion and hover, and the docs all read argument names, types
 * and descriptions from here, so they cannot disagree.
 */
import keyserver from '../schemas/keyserver.schema.json' with { type: 'json' };
import request from '../schemas/request.schema.json' with { type: 'json' };
import decision from '../schemas/decision.schema.json' with { type: 'json' };
import metaRule from '../schemas/rules/meta-rule.schema.json' with { type: 'json' };
import profileIdRule from '../schemas/rules/profile-id-rule.schema.json' with { type: 'json' };
import timeRangeRule from '../schemas/rules/time-range-rule.schema.json' with { type: 'json' };
import throttleRule from '../schemas/rules/per-profile-throttle-rule.schema.json' with { type: 'json' };
import approveRule from '../schemas/rules/approve-rule.schema.json' with { type: 'json' };
import rejectRule from '../schemas/rules/reject-rule.schema.json' with { type: 'json' };
import sessionParamsRule from '../schemas/rules/session-params-rule.schema.json' with { type: 'json' };
import { REQUEST_TYPES, RULE_KINDS } from './ir/types.js';
import type { RequestType, RuleKind } from './ir/types.js';

export type JsonSchema = { [key: string]: unknown };

interface PropertySchema {
  type?: string | string[];
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  examples?: unknown[];
  items?: PropertySchema;
  [key: string]: unknown;
}

interface RuleSchema {
  title: string;
  description: string;
  markdownDescription: string;
  properties: Record<string, PropertySchema>;
  required?: string[];
  examples?: unknown[];
}

export const keyserverSchema: JsonSchema = keyserver;
export const requestSchema: JsonSchema = request;
export const decisionSchema: JsonSchema = decision;

export const ruleSchemas: Record<RuleKind, JsonSchema> = {
  'meta-rule': metaRule,
  'profile-id-rule': profileIdRule,
  'time-range-rule': timeRangeRule,
  'per-profile-throttle-rule': throttleRule,
  'approve-rule': approveRule,
  'reject-rule': rejectRule,
  'session-params-rule': sessionParamsRule,
};

export interface ArgumentDoc {
  name: string;
  /** The JSON Schema type (`integer`, `boolean`, `array`, ...). */
  type: string;
  description: string;
  markdownDescription: string;
  default?: unknown;
  examples: unknown[];
  /** The argument's own schema (what the checker validates the value against). */
  schema: JsonSchema;
  /** Accepted only so that the reference's policies load (JSON Schema `deprecated`): editors do not offer it. */
  deprecated: boolean;
}

export interface RuleKindDoc {
  kind: RuleKind;
  description: string;
  markdownDescription: string;
  /** A minimal example of the rule, as a plain object. */
  example?: unknown;
  /** Request types that may not use this rule (SPEC §3). */
  notAllowedIn: RequestType[];
}

export interface RequestTypeDoc {
  name: RequestType;
  description: string;
  markdownDescription: string;
}

const KINDS: ReadonlySet<string> = new Set(RULE_KINDS);

export function isRuleKind(kind: string): kind is RuleKind {
  return KINDS.has(kind);
}

export function isRequestType(name: string): name is RequestType {
  return (REQUEST_TYPES as readonly string[]).includes(name);
}

/** The arguments a rule kind takes (without `rule` and `rule_id`), in schema order. */
export function ruleArgumentDocs(kind: RuleKind): ArgumentDoc[] {
  const schema = ruleSchemas[kind] as unknown as RuleSchema;
  return Object.entries(schema.properties)
    .filter(([name]) => name !== 'rule' && name !== 'rule_id')
    .map(([name, property]) => argumentDoc(name, property));
}

/** `rule_id`, allowed on every rule. */
export const ruleIdDoc: ArgumentDoc = argumentDoc('rule_id', (approveRule as unknown as RuleSchema).properties.rule_id!);

function argumentDoc(name: string, property: PropertySchema): ArgumentDoc {
  const type = Array.isArray(property.type) ? property.type.join(' | ') : property.type ?? 'any';
  return {
    name,
    type,
    description: property.description ?? '',
    markdownDescription: property.markdownDescription ?? property.description ?? '',
    ...(property.default !== undefined ? { default: property.default } : {}),
    examples: property.examples ?? [],
    schema: property,
    deprecated: property['deprecated'] === true,
  };
}

export const ruleKindDocs: Record<RuleKind, RuleKindDoc> = Object.fromEntries(
  RULE_KINDS.map((kind) => {
    const schema = ruleSchemas[kind] as unknown as RuleSchema;
    const notAllowedIn = REQUEST_TYPES.filter((t) => incompatible(t).includes(kind));
    const doc: RuleKindDoc = { kind, description: schema.description, markdownDescription: schema.markdownDescription, notAllowedIn };
    if (schema.examples?.[0] !== undefined) doc.example = schema.examples[0];
    return [kind, doc];
  }),
) as Record<RuleKind, RuleKindDoc>;

export const requestTypeDocs: Record<RequestType, RequestTypeDoc> = Object.fromEntries(
  REQUEST_TYPES.map((name) => {
    const property = (keyserver.properties as Record<string, { description: string; markdownDescription: string }>)[name]!;
    return [name, { name, description: property.description, markdownDescription: property.markdownDescription }];
  }),
) as Record<RequestType, RequestTypeDoc>;

function incompatible(type: RequestType): readonly RuleKind[] {
  // Read from the generated schema so the editor schema and the checker agree (test/checker/schemas.test.ts).
  const tree = (keyserver.$defs as unknown as Record<string, { items: { items: { properties: { rule: { enum: string[] } } } } }>)[`tree-${type}`];
  const allowed = tree?.items.items.properties.rule.enum ?? RULE_KINDS;
  return RULE_KINDS.filter((k) => !allowed.includes(k));
}
